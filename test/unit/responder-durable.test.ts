// SPDX-License-Identifier: GPL-3.0-or-later
// Nothing half-written: exclusive custody logs that say "in progress" from the start, atomic
// replacement, no-clobber renames, interruption of a copy, FAT's file size limit, the one size
// convention, and progress lines a responder can trust (bytes of total, rate, ETA, read errors).
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CustodyLog, newCustody, type Custody } from '../../src/responder/acquire/custody.js';
import { CHUNK, copyPass } from '../../src/responder/acquire/engine.js';
import { checkPieceFits } from '../../src/responder/acquire/fs-limits.js';
import { parseSize } from '../../src/responder/acquire/options.js';
import { PARTIAL, publishPieces, type Sink } from '../../src/responder/acquire/sinks.js';
import { createExclusive, renameNoClobber, replaceAtomically } from '../../src/responder/lib/durable.js';
import { Interrupted } from '../../src/responder/lib/interrupt.js';
import { Progress, formatDuration, phaseReporter } from '../../src/responder/lib/progress.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'responder-durable-'));

function record(): Custody {
  return newCustody({
    tool: { name: 'responder', version: 't', node: process.version },
    command: ['responder', 'acquire', 'x'],
    started: new Date(0).toISOString(),
    host: { hostname: 'h', kernel: 'k' },
    liveImage: { status: 'test' },
    case: {},
    source: { path: '/x', kind: 'file', size: 1, sectorSize: 512 },
    destination: { kind: 'file', path: '/y' },
  });
}

describe('custody log', () => {
  it('says "in progress" from the start, refuses a second log with the same base, and is completed atomically', async () => {
    const dir = tmp();
    const base = path.join(dir, 'ev1');
    const log = await CustodyLog.begin(base, record());
    expect(JSON.parse(readFileSync(`${base}.custody.json`, 'utf8')).result).toBe('in progress');
    expect(readFileSync(`${base}.custody.txt`, 'utf8')).toMatch(/^Result: +IN PROGRESS$/m);
    // A second acquisition with the same --log: refused, and the first log is untouched.
    await expect(CustodyLog.begin(base, record())).rejects.toThrow(/refusing to overwrite .*ev1\.custody\.json: it already exists/);
    expect(JSON.parse(readFileSync(`${base}.custody.json`, 'utf8')).result).toBe('in progress');
    await log.finish({ ...record(), result: 'ok' });
    expect(JSON.parse(readFileSync(`${base}.custody.json`, 'utf8')).result).toBe('ok');
    expect(readdirSync(dir).sort()).toEqual(['ev1.custody.json', 'ev1.custody.txt']); // no temp file left
  });

  it('an interrupted record says so', async () => {
    const base = path.join(tmp(), 'ev2');
    const log = await CustodyLog.begin(base, record());
    await log.finish({ ...record(), result: 'interrupted', error: 'interrupted by SIGINT' });
    expect(readFileSync(`${base}.custody.txt`, 'utf8')).toMatch(/^Result: +INTERRUPTED \(interrupted by SIGINT\)$/m);
  });
});

describe('durable files', () => {
  it('createExclusive never replaces, replaceAtomically leaves no temp file, renameNoClobber refuses a clash', async () => {
    const dir = tmp();
    const f = path.join(dir, 'a');
    await createExclusive(f, 'one');
    await expect(createExclusive(f, 'two')).rejects.toThrow(/already exists/);
    await replaceAtomically(f, 'three');
    expect(readFileSync(f, 'utf8')).toBe('three');
    writeFileSync(path.join(dir, 'img.partial'), 'image');
    writeFileSync(path.join(dir, 'img'), 'someone else');
    await expect(renameNoClobber(path.join(dir, 'img.partial'), path.join(dir, 'img'))).rejects.toThrow(/refusing to overwrite/);
    expect(readFileSync(path.join(dir, 'img'), 'utf8')).toBe('someone else');
    const pieces = [{ path: path.join(dir, `b${PARTIAL}`), bytes: 5, hashes: {} }];
    writeFileSync(pieces[0]!.path, 'image');
    await publishPieces(pieces);
    expect(pieces[0]!.path).toBe(path.join(dir, 'b'));
    expect(readdirSync(dir).sort()).toEqual(['a', 'b', 'img', 'img.partial']);
  });
});

describe('interrupting a copy', () => {
  it('stops at the next chunk with Interrupted, and a stalled write does not hang it', async () => {
    const data = Buffer.alloc(4 * CHUNK, 7);
    const controller = new AbortController();
    let aborted = false;
    let writes = 0;
    const sink: Sink = {
      write: () => {
        writes++;
        if (writes === 2) setTimeout(() => controller.abort('SIGINT'), 10);
        return writes >= 2 ? new Promise(() => undefined) : Promise.resolve(); // the receiver stops reading
      },
      close: async () => [],
      abort: async () => void (aborted = true),
    };
    const read = async (buf: Buffer, off: number, len: number, pos: number) => {
      const n = Math.max(0, Math.min(len, data.length - pos));
      data.copy(buf, off, pos, pos + n);
      return { bytesRead: n };
    };
    const err = await copyPass({ read, size: data.length, sectorSize: 512, algorithms: ['sha256'], sink, signal: controller.signal }).catch((e) => e);
    expect(err).toBeInstanceOf(Interrupted);
    expect((err as Interrupted).exitCode).toBe(130);
    expect(aborted).toBe(true);
  }, 15_000);
});

describe('target file system limits and sizes', () => {
  const FAT = 0x4d44;
  const EXT4 = 0xef53;
  it('refuses a --split piece FAT cannot hold, and an unsplit image larger than 4 GiB - 1 on FAT', () => {
    expect(() => checkPieceFits(FAT, '/mnt/usb', 10 * 2 ** 30, 4 * 2 ** 30)).toThrow(/at most 4294967295 bytes/);
    expect(() => checkPieceFits(FAT, '/mnt/usb', 10 * 2 ** 30, undefined)).toThrow(/the source is 10737418240 bytes/);
    expect(() => checkPieceFits(FAT, '/mnt/usb', 10 * 2 ** 30, parseSize('4095M', 's'))).not.toThrow();
    expect(() => checkPieceFits(FAT, '/mnt/usb', 2 ** 30, undefined)).not.toThrow();
    expect(() => checkPieceFits(EXT4, '/mnt/usb', 10 * 2 ** 30, 8 * 2 ** 30)).not.toThrow(); // positive control
  });

  it('one size convention: K/M/G/T and KiB..TiB are powers of 1024; KB/MB/GB are refused as ambiguous', () => {
    expect(parseSize('4G', 'x')).toBe(4 * 2 ** 30);
    expect(parseSize('4GiB', 'x')).toBe(4 * 2 ** 30);
    expect(parseSize('4g', 'x')).toBe(4 * 2 ** 30);
    expect(parseSize('650M', 'x')).toBe(650 * 2 ** 20);
    expect(parseSize('512', 'x')).toBe(512);
    expect(() => parseSize('4GB', '--split')).toThrow(/ambiguous/);
    expect(() => parseSize('650MB', '--split')).toThrow(/ambiguous/);
    expect(() => parseSize('4X', '--split')).toThrow(/not a size/);
  });
});

describe('progress', () => {
  it('on a terminal: bytes of total, rate, ETA and read errors', () => {
    let t = 0;
    const out: string[] = [];
    const p = new Progress('copy', 100 * 2 ** 20, { tty: true, write: (s) => out.push(s), now: () => t });
    t = 10_000;
    p.update(50 * 2 ** 20, 2);
    expect(out.at(-1)).toContain('copy [############............] 50.0 MiB of 100.0 MiB (50.0%), 5.0 MiB/s, ETA 0:10, read errors: 2');
  });

  it('not on a terminal: one plain line every 30 s, nothing in between, and a final line', () => {
    let t = 0;
    const out: string[] = [];
    const p = new Progress('read-back', 3600 * 2 ** 20, { tty: false, write: (s) => out.push(s), now: () => t });
    for (t = 1000; t <= 65_000; t += 1000) p.update((t / 1000) * 2 ** 20);
    expect(out).toHaveLength(2); // at 30 s and 60 s
    expect(out[0]).toBe('read-back: 30.0 MiB of 3.5 GiB (0.8%), 1.0 MiB/s, ETA 59:30, read errors: 0\n');
    t = 65_000;
    p.done();
    expect(out.at(-1)).toMatch(/^read-back: done, .* took 1:05\n$/);
    expect(out.every((l) => !l.includes('\r'))).toBe(true);
  });

  it('formats durations', () => {
    expect(formatDuration(5)).toBe('0:05');
    expect(formatDuration(3725)).toBe('1:02:05');
    expect(formatDuration(Infinity)).toBe('?');
  });
});

describe('phase announcements (verify, sweep)', () => {
  it('at once on a terminal; off a terminal only once the work has run 30 s', () => {
    let t = 0;
    const out: string[] = [];
    const tty = phaseReporter({ tty: true, write: (s) => out.push(s), now: () => t });
    tty('step 1 of 3');
    expect(out).toEqual(['step 1 of 3\n']);
    const plain = phaseReporter({ tty: false, write: (s) => out.push(s), now: () => t });
    plain('step 1 of 3: quick');
    t = 31_000;
    plain('step 2 of 3: slow');
    expect(out).toEqual(['step 1 of 3\n', 'step 2 of 3: slow\n']);
  });
});
