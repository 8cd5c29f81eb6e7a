// SPDX-License-Identifier: GPL-3.0-or-later
// Acquisition logic without devices: the retry/zero-fill reader with an injected failing source
// (a real bad sector needs device-mapper's "error" target, which this host's kernel lacks), the
// one-pass copy into a memory sink, destinations and shell quoting, and the custody text.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { RetryingReader, type ReadFn } from '../../src/responder/acquire/reader.js';
import { copyPass, CHUNK } from '../../src/responder/acquire/engine.js';
import { parseDestination, parseHashes, parseSize, shellQuote, sshArgv } from '../../src/responder/acquire/options.js';
import { custodyText, type Custody } from '../../src/responder/acquire/custody.js';
import type { Sink } from '../../src/responder/acquire/sinks.js';

function source(data: Buffer, bad: { from: number; to: number; failures?: number }[] = []): { read: ReadFn; calls: number[] } {
  const attempts = new Map<number, number>();
  const calls: number[] = [];
  const read: ReadFn = async (buf, off, len, pos) => {
    calls.push(len);
    for (const b of bad) {
      if (pos < b.to && pos + len > b.from) {
        // Transient errors succeed after `failures` attempts on the same sector-sized read.
        const k = attempts.get(pos) ?? 0;
        attempts.set(pos, k + 1);
        if (b.failures === undefined || k < b.failures || len > 512) throw Object.assign(new Error('EIO'), { code: 'EIO' });
      }
    }
    const n = Math.max(0, Math.min(len, data.length - pos));
    data.copy(buf, off, pos, pos + n);
    return { bytesRead: n };
  };
  return { read, calls };
}

function memorySink(): Sink & { data: () => Buffer } {
  const parts: Buffer[] = [];
  return {
    async write(c) {
      parts.push(Buffer.from(c));
    },
    async close() {
      return [];
    },
    async abort() {},
    data: () => Buffer.concat(parts),
  };
}

const data = Buffer.alloc(3 * CHUNK + 4096);
for (let i = 0; i < data.length; i += 4) data.writeUInt32LE(i, i);

describe('RetryingReader', () => {
  it('zero-fills unreadable sectors after retries and records them merged, never silently', async () => {
    const src = source(data, [{ from: CHUNK + 1024, to: CHUNK + 2048 }]);
    const sink = memorySink();
    const r = await copyPass({ read: src.read, size: data.length, sectorSize: 512, algorithms: ['sha256'], sink });
    expect(r.bytesRead).toBe(data.length);
    expect(r.reader.badRanges).toEqual([{ offset: CHUNK + 1024, length: 1024, error: 'EIO' }]);
    expect(r.reader.zeroFilled).toBe(1024);
    const expected = Buffer.from(data);
    expected.fill(0, CHUNK + 1024, CHUNK + 2048);
    expect(sink.data().equals(expected)).toBe(true);
    expect(r.hashes.sha256).toBe(createHash('sha256').update(expected).digest('hex'));
    expect(r.reader.retriedReads).toBe(2 * 3); // two sectors, three retries each
  });

  it('a transient error that clears on retry loses nothing', async () => {
    const src = source(data, [{ from: 2 * CHUNK, to: 2 * CHUNK + 512, failures: 2 }]);
    const sink = memorySink();
    const r = await copyPass({ read: src.read, size: data.length, sectorSize: 512, algorithms: ['md5', 'sha256'], sink });
    expect(r.reader.badRanges).toEqual([]);
    expect(sink.data().equals(data)).toBe(true);
    expect(r.hashes.md5).toBe(createHash('md5').update(data).digest('hex'));
  });

  it('a source that ends early is reported as short, not padded', async () => {
    const short = data.subarray(0, CHUNK + 100);
    const src = source(short);
    const r = await copyPass({ read: src.read, size: data.length, sectorSize: 512, algorithms: ['sha256'], sink: memorySink() });
    expect(r.bytesRead).toBe(CHUNK + 100);
  });

  it('reads in 4 MiB chunks on the fast path (bounded memory, few syscalls)', async () => {
    const src = source(data);
    await copyPass({ read: src.read, size: data.length, sectorSize: 512, algorithms: ['sha256'], sink: memorySink() });
    expect(Math.max(...src.calls)).toBe(CHUNK);
    expect(src.calls.length).toBe(4);
  });

  it('readChunk on a 4096-byte-sector device zero-fills whole sectors', async () => {
    const src = source(data, [{ from: 5000, to: 5001 }]);
    const r = new RetryingReader(src.read, data.length, 4096, 1);
    const buf = Buffer.alloc(CHUNK);
    expect(await r.readChunk(buf, 0, CHUNK)).toBe(CHUNK);
    expect(r.badRanges).toEqual([{ offset: 4096, length: 4096, error: 'EIO' }]);
  });
});

describe('acquire options', () => {
  it('sizes and hash lists', () => {
    expect(parseSize('2G', 'x')).toBe(2 ** 31);
    expect(parseSize('650M', 'x')).toBe(650 * 2 ** 20);
    expect(parseSize('4KiB', 'x')).toBe(4096);
    expect(parseSize('1000', 'x')).toBe(1000);
    expect(() => parseSize('2 potatoes', 'x')).toThrow(/not a size/);
    expect(parseHashes('SHA256,md5,sha256')).toEqual(['sha256', 'md5']);
    expect(parseHashes(undefined)).toEqual(['sha256']);
    expect(() => parseHashes('crc32')).toThrow(/unknown algorithm/);
  });

  it('ssh destinations: argv without a local shell, the path quoted for the remote one', () => {
    const d = parseDestination("ssh://analyst@192.0.2.10:2222/srv/case 42/it's; rm -rf ~.raw");
    expect(d).toMatchObject({ kind: 'ssh', user: 'analyst', host: '192.0.2.10', port: 2222, path: "/srv/case 42/it's; rm -rf ~.raw" });
    const argv = sshArgv(d as Extract<typeof d, { kind: 'ssh' }>);
    expect(argv.slice(0, 6)).toEqual(['ssh', '-e', 'none', '-o', 'ServerAliveInterval=15', '-p']);
    const remote = argv.at(-1)!;
    expect(remote).toBe(`cat > '/srv/case 42/it'\\''s; rm -rf ~.raw'`);
    // What a POSIX shell makes of the quoted word: exactly the path, one word.
    expect(execFileSync('sh', ['-c', `printf %s ${shellQuote("/a b/it's $(x) `y`")}`], { encoding: 'utf8' })).toBe("/a b/it's $(x) `y`");
    expect(parseDestination('ssh://h/~/img.raw')).toMatchObject({ path: 'img.raw' });
    expect(() => parseDestination('ssh://-oProxyCommand=evil/x')).toThrow(/bad host/);
    expect(() => parseDestination('ssh://host/')).toThrow(/needs a file path/);
    expect(parseDestination('tcp://127.0.0.1:9000')).toMatchObject({ kind: 'tcp', host: '127.0.0.1', port: 9000 });
    expect(() => parseDestination('tcp://127.0.0.1')).toThrow(/needs a port/);
    expect(() => parseDestination('ftp://x/y')).toThrow(/unsupported scheme/);
  });
});

describe('custody text', () => {
  it('lists every field a CERT asks for, read errors with their offsets and sectors', () => {
    const c: Custody = {
      tool: { name: 'responder', version: '0.1.0', node: 'v18.20.4' },
      command: ['responder', 'acquire', '/dev/sdb', '--out', '/mnt/usb/sdb.raw', '--notes', 'two words'],
      started: '2024-05-01T10:00:00.000Z',
      finished: '2024-05-01T10:30:00.000Z',
      host: { hostname: 'forensic-live', kernel: 'Linux 6.1.0-21-amd64' },
      liveImage: { status: 'booted from /dev/sr0', profile: 'forensic', buildId: 'b1', isoSha256: 'c'.repeat(64), isoBytes: 300_000_000, medium: '/dev/sr0' },
      case: { case: 'C-1', evidence: 'E-2', examiner: 'Ann', notes: 'two words' },
      source: { path: '/dev/sdb', kind: 'block device', size: 1048576, sectorSize: 512, devno: '8:16', model: 'ACME Disk', serial: 'SN123', readOnly: true },
      destination: { kind: 'file', path: '/mnt/usb/sdb.raw' },
      bytesRead: 1048576,
      bytesWritten: 1048576,
      readErrors: [{ offset: 4096, length: 1024, error: 'EIO' }],
      zeroFilledBytes: 1024,
      hashes: { sha256: 'a'.repeat(64) },
      pieces: [],
      verification: { status: 'verified', detail: 'ok' },
      result: 'read errors',
    };
    const t = custodyText(c);
    for (const s of [
      'READ ERRORS',
      'C-1',
      'E-2',
      'Ann',
      'ACME Disk',
      'SN123',
      '8:16',
      '1048576 bytes',
      'offset 4096 (sector 8), 1024 bytes: EIO',
      'a'.repeat(64),
      `forensic build b1, ISO sha256 ${'c'.repeat(64)} (300000000 bytes); booted from /dev/sr0`,
      '2024-05-01T10:00:00.000Z',
      '"two words"',
      'verified',
    ]) {
      expect(t).toContain(s);
    }
    expect(custodyText({ ...c, liveImage: { status: 'not running from a forensic-live medium' } })).toMatch(/^Live image: +not running from a forensic-live medium$/m);
  });
});
