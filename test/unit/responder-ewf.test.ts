// SPDX-License-Identifier: GPL-3.0-or-later
// E01 written by responder, checked by independent readers: libewf's ewfverify (every image),
// ewfinfo (case metadata, model/serial, read errors), The Sleuth Kit (same files as from the raw
// copy of a real ext4), plus our own read-back, an unreadable region and an interrupted run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { deflateSync } from 'node:zlib';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyPass } from '../../src/responder/acquire/engine.js';
import type { ReadFn } from '../../src/responder/acquire/reader.js';
import { EwfSink, PARTIAL, errorSectors, publishSegments } from '../../src/responder/acquire/ewf/writer.js';
import { verifyAndPublish } from '../../src/responder/acquire/ewf/plan.js';
import { segmentName, adler32 } from '../../src/responder/acquire/ewf/format.js';
import { BUNDLE, ensureBundle, runResponder } from '../helpers/responder-run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'responder-ewf-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Half zeros, a quarter text, a quarter random: what the benchmark uses, small. */
function mixed(size: number): Buffer {
  const b = Buffer.alloc(size);
  const text = Buffer.from('Dec  2 06:12:26 host sshd[812]: Accepted publickey for root from 192.0.2.7\n');
  for (let i = size / 2; i < (size * 3) / 4; i += text.length) text.copy(b, i, 0, Math.min(text.length, (size * 3) / 4 - i));
  randomBytes(size / 4).copy(b, (size * 3) / 4);
  return b;
}

function memorySource(data: Buffer, bad?: { from: number; to: number }): ReadFn {
  return async (buf, off, len, pos) => {
    if (bad && pos < bad.to && pos + len > bad.from) throw Object.assign(new Error('EIO'), { code: 'EIO' });
    const n = Math.max(0, Math.min(len, data.length - pos));
    data.copy(buf, off, pos, pos + n);
    return { bytesRead: n };
  };
}

async function acquire(data: Buffer, name: string, o: { split?: number; bad?: { from: number; to: number }; model?: string; serial?: string } = {}) {
  const base = path.join(dir, name);
  const sink = new EwfSink({
    base,
    segmentSize: o.split ?? Number.MAX_SAFE_INTEGER,
    mediaSize: data.length,
    bytesPerSector: 512,
    compression: 'fast',
    caseInfo: {
      description: 'unit test disk',
      caseNumber: 'CASE-2026-14',
      evidenceNumber: 'EV-7',
      examiner: 'Ann Examiner',
      notes: 'tab\there',
      model: o.model,
      serial: o.serial,
      software: 'responder test',
      os: 'Linux',
      acquired: new Date('2026-12-02T06:00:00Z'),
    },
  });
  const pass = await copyPass({ read: memorySource(data, o.bad), size: data.length, sectorSize: 512, algorithms: ['md5', 'sha1', 'sha256'], sink, retries: 0 });
  const verification = await verifyAndPublish(pass.pieces, ['md5', 'sha1', 'sha256'], pass.hashes, pass.bytesRead);
  return { base, pass, verification, e01: `${base}.E01` };
}

function ewfverify(file: string): { ok: boolean; out: string } {
  const r = spawnSync('ewfverify', ['-q', file], { encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout + r.stderr };
}

describe('E01 writer', { timeout: 180_000 }, () => {
  it('a single segment: ewfverify agrees, ewfinfo shows the case, model and serial, the hashes are stored', async () => {
    const data = mixed(4 * 1024 * 1024 + 64 * 1024);
    const { e01, pass, verification } = await acquire(data, 'single', { model: 'WDC WD10EZEX', serial: 'WD-WCC6Y0123456' });
    expect(verification.status).toBe('verified');
    expect(pass.pieces.map((p) => p.path)).toEqual([e01]);
    expect(existsSync(e01 + PARTIAL)).toBe(false);
    const v = ewfverify(e01);
    expect(v.out).toContain('ewfverify: SUCCESS');
    expect(v.out).toContain(createHash('md5').update(data).digest('hex'));
    const info = execFileSync('ewfinfo', [e01], { encoding: 'utf8' });
    expect(info).toMatch(/Case number:\s+CASE-2026-14/);
    expect(info).toMatch(/Evidence number:\s+EV-7/);
    expect(info).toMatch(/Examiner name:\s+Ann Examiner/);
    expect(info).toMatch(/Notes:\s+tab here/); // the format's separator never reaches the header
    expect(info).toMatch(/Model:\s+WDC WD10EZEX/);
    expect(info).toMatch(/Serial number:\s+WD-WCC6Y0123456/);
    expect(info).toMatch(/Media size:.*\(4259840 bytes\)/);
    expect(info).toMatch(new RegExp(`SHA1:\\s+${createHash('sha1').update(data).digest('hex')}`));
    // The custody log gets each segment file's own sha256.
    expect(pass.pieces[0]!.hashes.sha256).toBe(createHash('sha256').update(readFileSync(e01)).digest('hex'));
  });

  it('split into segments of at most --split: ewfverify reads the whole set', async () => {
    const data = mixed(12 * 1024 * 1024);
    const split = 1024 * 1024;
    const { e01, pass, verification } = await acquire(data, 'split', { split });
    expect(verification.status).toBe('verified');
    expect(pass.pieces.length).toBeGreaterThan(3);
    pass.pieces.forEach((p, i) => {
      expect(p.path).toBe(segmentName(path.join(dir, 'split'), i + 1));
      expect(p.bytes).toBeLessThanOrEqual(split);
    });
    expect(ewfverify(e01).ok).toBe(true);
    // Positive control: one flipped byte in a chunk and both readers refuse the set.
    const bad = path.join(dir, 'corrupt');
    for (const [i, p] of pass.pieces.entries()) writeFileSync(segmentName(bad, i + 1) + PARTIAL, readFileSync(p.path));
    const seg2 = readFileSync(segmentName(bad, 2) + PARTIAL);
    seg2[seg2.length - 60_000] = seg2[seg2.length - 60_000]! ^ 0xff;
    writeFileSync(segmentName(bad, 2) + PARTIAL, seg2);
    const v = await verifyAndPublish(
      pass.pieces.map((p, i) => ({ ...p, path: segmentName(bad, i + 1) })),
      ['md5', 'sha1', 'sha256'],
      pass.hashes,
      pass.bytesRead,
    ).catch((e: Error) => ({ status: 'error', detail: e.message }));
    expect(v.status).not.toBe('verified');
    expect(existsSync(segmentName(bad, 1))).toBe(false); // never published
    await publishSegments(pass.pieces.map((_, i) => segmentName(bad, i + 1)));
    expect(ewfverify(segmentName(bad, 1)).ok).toBe(false);
  });

  it('an unreadable region is zero-filled and listed in the error2 section', async () => {
    const data = mixed(2 * 1024 * 1024);
    const { e01, pass } = await acquire(data, 'errors', { bad: { from: 1024 * 1024, to: 1024 * 1024 + 1024 } });
    expect(pass.reader.badRanges).toEqual([{ offset: 1024 * 1024, length: 1024, error: 'EIO' }]);
    const info = execFileSync('ewfinfo', [e01], { encoding: 'utf8' });
    expect(info).toMatch(/Read errors during acquiry\s+total number: 1/);
    expect(info).toMatch(/at sector\(s\): 2048 - 2049 number: 2/);
    expect(ewfverify(e01).ok).toBe(true);
  });

  it('adler32 matches zlib (the stored checksum of uncompressed chunks)', () => {
    const b = randomBytes(100_000);
    // zlib's stream ends with the Adler-32 of its input, big-endian.
    const z = deflateSync(b);
    expect(adler32(b)).toBe(z.readUInt32BE(z.length - 4));
  });
});

describe('responder acquire --format ewf', { timeout: 180_000 }, () => {
  it('The Sleuth Kit lists the same files from the E01 as from the raw copy of a real ext4', async () => {
    const tree = path.join(dir, 'tree');
    mkdirSync(path.join(tree, 'etc/ssh'), { recursive: true });
    writeFileSync(path.join(tree, 'etc/ssh/sshd_config'), 'PermitRootLogin no\n');
    writeFileSync(path.join(tree, 'big.bin'), randomBytes(3 * 1024 * 1024));
    writeFileSync(path.join(tree, 'notes.txt'), 'x'.repeat(200_000));
    const raw = path.join(dir, 'ext4.raw');
    execFileSync('truncate', ['-s', '16M', raw]);
    execFileSync('mkfs.ext4', ['-q', '-F', '-d', tree, raw]);
    const r = await runResponder(['acquire', raw, '--format', 'ewf', '--out', path.join(dir, 'ext4.E01'), '--split', '2M', '--case', 'C1', '--hash', 'sha256']);
    expect(r.stderr).toContain(': ok');
    expect(r.code).toBe(0);
    const e01 = path.join(dir, 'ext4.E01');
    expect(ewfverify(e01).ok).toBe(true);
    const files = readdirSync(dir)
      .filter((f) => /^ext4\.E\d\d$/.test(f))
      .sort();
    expect(files.length).toBeGreaterThan(1);
    const segs = files.map((f) => path.join(dir, f));
    const fromRaw = execFileSync('fls', ['-r', '-p', raw], { encoding: 'utf8' });
    const fromE01 = execFileSync('fls', ['-r', '-p', '-i', 'ewf', ...segs], { encoding: 'utf8' });
    expect(fromRaw).toContain('etc/ssh/sshd_config');
    expect(fromE01).toBe(fromRaw);
    const custody = JSON.parse(readFileSync(`${e01}.custody.json`, 'utf8'));
    expect(custody.destination.format).toBe('ewf');
    expect(custody.verification.status).toBe('verified');
    expect(custody.pieces.map((p: { path: string }) => path.basename(p.path))).toEqual(files);
    expect(custody.pieces[0].hashes.sha256).toBe(createHash('sha256').update(readFileSync(segs[0]!)).digest('hex'));
    expect(Object.keys(custody.hashes).sort()).toEqual(['md5', 'sha1', 'sha256']);
    expect(custody.hashes.sha256).toBe(createHash('sha256').update(readFileSync(raw)).digest('hex'));
  });

  it('mount accepts the E01 set read-only (ewfmount, then a read-only loop device); timeline reads it; umount undoes all', async () => {
    const tree = path.join(dir, 'tree-m');
    mkdirSync(path.join(tree, 'var/log'), { recursive: true });
    writeFileSync(path.join(tree, 'var/log/auth.log'), 'Accepted publickey for root\n');
    const raw = path.join(dir, 'm.raw');
    execFileSync('truncate', ['-s', '16M', raw]);
    execFileSync('mkfs.ext4', ['-q', '-F', '-d', tree, raw]);
    expect((await runResponder(['acquire', raw, '--format', 'ewf', '--out', path.join(dir, 'm')])).code).toBe(0);
    const env = { RESPONDER_STATE_DIR: path.join(dir, 'state') };
    const mp = path.join(dir, 'mnt-e01');
    const m = await runResponder(['mount', path.join(dir, 'm.E01'), mp], { env });
    expect(m.stderr).toBe('');
    expect(m.code).toBe(0);
    try {
      expect(readFileSync(path.join(mp, 'var/log/auth.log'), 'utf8')).toContain('Accepted publickey');
      const mounts = readFileSync('/proc/self/mountinfo', 'utf8').split('\n');
      expect(mounts.find((l) => l.includes(` ${mp} `))).toMatch(/ ro,/);
      expect(mounts.some((l) => l.includes(path.join(dir, 'state', 'ewf')) && / ro,/.test(l))).toBe(true); // the FUSE view is read-only too
      const body = path.join(dir, 'm.body');
      expect((await runResponder(['timeline', mp, '--body', body], { env })).code).toBe(0);
      expect(readFileSync(body, 'utf8')).toContain('/var/log/auth.log');
    } finally {
      const u = await runResponder(['umount', mp], { env });
      expect(u.code).toBe(0);
    }
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(path.join(dir, 'state', 'ewf'));
    expect(readdirSync(path.join(dir, 'state', 'ewf'))).toEqual([]);
  });

  it('devices --image lists the same partitions and file systems from the E01 as from the raw GPT disk image', async () => {
    const tree = path.join(dir, 'tree-d');
    mkdirSync(path.join(tree, 'etc'), { recursive: true });
    writeFileSync(path.join(tree, 'etc/hostname'), 'victim\n');
    const part = path.join(dir, 'part.ext4');
    execFileSync('truncate', ['-s', '8M', part]);
    execFileSync('mkfs.ext4', ['-q', '-F', '-L', 'EVROOT', '-d', tree, part]);
    const disk = path.join(dir, 'disk.raw');
    execFileSync('truncate', ['-s', '12M', disk]);
    execFileSync('sgdisk', ['-n', '1:2048:+8M', '-t', '1:8300', disk], { stdio: 'ignore' });
    execFileSync('dd', [`if=${part}`, `of=${disk}`, 'bs=512', 'seek=2048', 'conv=notrunc', 'status=none']);
    expect((await runResponder(['acquire', disk, '--format', 'ewf', '--out', path.join(dir, 'disk')])).code).toBe(0);
    const env = { RESPONDER_STATE_DIR: path.join(dir, 'state-d') };
    const fromRaw = await runResponder(['devices', '--image', disk, '--json'], { env });
    const fromE01 = await runResponder(['devices', '--image', path.join(dir, 'disk.E01'), '--json'], { env });
    expect(fromRaw.code).toBe(0);
    expect(fromE01.code).toBe(0);
    const strip = (out: string) =>
      JSON.parse(out).map((d: { partitions: object[] }) => ({ ...d, name: '', path: '', partitions: d.partitions.map((p) => ({ ...p, name: '', path: '', partition: undefined })) }));
    const raw = JSON.parse(fromRaw.stdout.toString())[0];
    expect(raw.partitionTable).toBe('gpt');
    expect(raw.partitions).toHaveLength(1);
    expect(raw.partitions[0]).toMatchObject({ path: `${disk}:1`, fsType: 'ext4', label: 'EVROOT', size: 8 * 1024 * 1024 });
    expect(strip(fromE01.stdout.toString())).toEqual(strip(fromRaw.stdout.toString()));
    const text = await runResponder(['devices', '--image', path.join(dir, 'disk.E01')], { env });
    expect(text.stdout.toString()).toContain(`${path.join(dir, 'disk.E01')}:1`);
    expect(text.stdout.toString()).toContain('EVROOT');
    // The FUSE view is always taken down again.
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(path.join(dir, 'state-d'));
  });

  it('an interrupted run leaves no segment set that looks complete', async () => {
    ensureBundle();
    const src = path.join(dir, 'kill.raw');
    writeFileSync(src, randomBytes(96 * 1024 * 1024));
    const base = path.join(dir, 'killed');
    const child = spawn(process.execPath, [BUNDLE, 'acquire', src, '--format', 'ewf', '--compress', 'best', '--out', base, '--split', '4M'], { stdio: 'ignore' });
    // Kill it once the second segment exists: mid-way, with one segment already complete.
    for (let i = 0; i < 600 && !existsSync(segmentName(base, 2) + PARTIAL); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('close', r));
    const left = readdirSync(dir).filter((f) => f.startsWith('killed'));
    expect(left).toContain('killed.E01.partial'); // positive control: it was killed mid-way
    expect(left.filter((f) => /\.E\d\d$/.test(f))).toEqual([]);
  });

  it('refuses a source that is not whole sectors, and --compress without ewf', async () => {
    const odd = path.join(dir, 'odd.raw');
    writeFileSync(odd, Buffer.alloc(1000));
    const r = await runResponder(['acquire', odd, '--format', 'ewf', '--out', path.join(dir, 'odd')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a whole number of 512-byte sectors');
    expect(existsSync(path.join(dir, 'odd.E01.partial'))).toBe(false);
    const c = await runResponder(['acquire', odd, '--compress', 'best', '--out', path.join(dir, 'odd2')]);
    expect(c.code).toBe(2);
  });
});

describe('error2 ranges', () => {
  it('become whole sectors, and ranges past 32-bit sector numbers are left to the custody log', () => {
    expect(errorSectors([{ offset: 1024, length: 100, error: 'EIO' }], 512)).toEqual([{ sector: 2, count: 1 }]);
    expect(errorSectors([{ offset: 2 ** 32 * 512 + 512, length: 512, error: 'EIO' }], 512)).toEqual([]);
  });
});
