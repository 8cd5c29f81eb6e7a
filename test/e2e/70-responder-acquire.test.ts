// SPDX-License-Identifier: GPL-3.0-or-later
// `responder acquire` end to end, on image files made here: hashes equal sha256sum's (and md5sum,
// sha1sum, sha512sum's), split pieces, stdout, a TCP listener started by the test, the custody
// log's fields, and the refusals and errors (one line, non-zero exit, no stack trace).
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sh } from '../helpers/evidence.js';
import { BUNDLE, ensureBundle, expectOneLineError, runResponder } from '../helpers/responder-run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'responder-acquire-'));
const src = path.join(dir, 'evidence.raw');
// Not a multiple of the 4 MiB chunk nor of the split size below.
const SIZE = 23 * 1024 * 1024 + 512 * 7;
const want: Record<string, string> = {};

beforeAll(() => {
  chmodSync(dir, 0o755);
  const fd = openSync(src, 'w');
  for (let pos = 0; pos < SIZE; pos += 1 << 20) writeSync(fd, randomBytes(Math.min(1 << 20, SIZE - pos)));
  closeSync(fd);
  sh(['mkfs.ext4', '-q', '-F', '-L', 'ACQ', src, '8M']); // a real file system in the first 8 MiB
  for (const h of ['sha256', 'md5', 'sha1', 'sha512']) want[h] = sh([`${h}sum`, src]).split(' ')[0]!;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function custody(base: string) {
  return JSON.parse(readFileSync(`${base}.custody.json`, 'utf8'));
}

describe('responder acquire', () => {
  it('copies a file with every hash equal to coreutils, verifies it, and logs custody', async () => {
    const out = path.join(dir, 'copy.raw');
    const r = await runResponder([
      'acquire',
      src,
      '--out',
      out,
      '--hash',
      'sha256,md5,sha1,sha512',
      '--case',
      'CERT-2024-17',
      '--evidence',
      'HD-01',
      '--examiner',
      "Ann O'Neil",
      '--notes',
      'seized | at 09:00',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(sh(['sha256sum', out]).split(' ')[0]).toBe(want.sha256);
    const c = custody(out);
    expect(c.hashes).toEqual(want);
    expect(c.tool.name).toBe('responder');
    expect(c.command).toContain('--examiner');
    expect(c.source).toMatchObject({ path: src, kind: 'file', size: SIZE, sectorSize: 512 });
    expect(c.bytesRead).toBe(SIZE);
    expect(c.bytesWritten).toBe(SIZE);
    expect(c.readErrors).toEqual([]);
    expect(c.verification.status).toBe('verified');
    expect(c.result).toBe('ok');
    expect(c.case).toEqual({ case: 'CERT-2024-17', evidence: 'HD-01', examiner: "Ann O'Neil", notes: 'seized | at 09:00' });
    expect(Date.parse(c.started)).toBeLessThanOrEqual(Date.parse(c.finished));
    expect(c.started).toMatch(/Z$/);
    expect(c.liveImage).toEqual({ status: 'not running from a forensic-live medium' }); // a workstation, not the live image
    const txt = readFileSync(`${out}.custody.txt`, 'utf8');
    expect(txt).toMatch(/^Live image: +not running from a forensic-live medium$/m);
    for (const s of [want.sha256, want.md5, 'CERT-2024-17', "Ann O'Neil", 'verified', String(SIZE)]) expect(txt).toContain(s);
  });

  it('--split writes numbered pieces, each hashed, that concatenate to the source', async () => {
    const out = path.join(dir, 'split.raw');
    const r = await runResponder(['acquire', src, '--out', out, '--split', '5M', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const c = JSON.parse(r.stdout.toString());
    expect(c.pieces.map((p: { path: string }) => path.basename(p.path))).toEqual(['split.raw.001', 'split.raw.002', 'split.raw.003', 'split.raw.004', 'split.raw.005']);
    for (const p of c.pieces) expect(p.hashes.sha256).toBe(sh(['sha256sum', p.path]).split(' ')[0]);
    expect(c.pieces.at(-1).bytes).toBe(SIZE - 4 * 5 * 1024 * 1024);
    const joined = sh(['sh', '-c', 'cat "$@" | sha256sum', 'sh', ...c.pieces.map((p: { path: string }) => p.path)]).split(' ')[0];
    expect(joined).toBe(want.sha256);
    expect(c.hashes.sha256).toBe(want.sha256);
    expect(c.verification.status).toBe('verified');
  });

  it('--out - streams the image to stdout', async () => {
    const out = path.join(dir, 'piped.raw');
    const log = path.join(dir, 'piped');
    const fd = openSync(out, 'w');
    const r = await runResponder(['acquire', src, '--out', '-', '--log', log], { stdout: fd });
    closeSync(fd);
    expect(r.code, r.stderr).toBe(0);
    expect(sh(['sha256sum', out]).split(' ')[0]).toBe(want.sha256);
    const c = custody(log);
    expect(c.destination.kind).toBe('stdout');
    expect(c.verification.status).toBe('not possible');
    expect(c.hashes.sha256).toBe(want.sha256);
  });

  it('--out - --json: stdout carries only the image, the JSON record goes to stderr', async () => {
    const out = path.join(dir, 'pure.raw');
    const fd = openSync(out, 'w');
    const r = await runResponder(['acquire', src, '--out', '-', '--json', '--log', path.join(dir, 'pure')], { stdout: fd });
    closeSync(fd);
    expect(r.code, r.stderr).toBe(0);
    expect(statSync(out).size).toBe(SIZE); // was SIZE + the JSON before
    expect(sh(['sha256sum', out]).split(' ')[0]).toBe(want.sha256);
    const json = r.stderr.slice(r.stderr.indexOf('{\n'));
    expect(JSON.parse(json).hashes.sha256).toBe(want.sha256);
  });

  it('two acquisitions with the same --log: exactly one succeeds, the other refuses and loses nothing', async () => {
    const log = path.join(dir, 'same');
    const run = () => runResponder(['acquire', src, '--out', '-', '--log', log], { stdout: openSync('/dev/null', 'w') });
    const [a, b] = await Promise.all([run(), run()]);
    expect([a.code, b.code].sort()).toEqual([0, 1]);
    const loser = a.code === 0 ? b : a;
    expectOneLineError(loser);
    expect(loser.stderr).toMatch(/same\.custody\.json: it already exists/);
    expect(custody(log).result).toBe('ok');
    expect(custody(log).hashes.sha256).toBe(want.sha256);
  });

  it('Ctrl-C (SIGINT) mid-copy: the log says "interrupted", no image under the final name', async () => {
    const big = path.join(dir, 'big.raw');
    sh(['truncate', '-s', '3G', big]); // sparse: reads fast, hashes slowly enough to interrupt
    const out = path.join(dir, 'big.copy');
    ensureBundle();
    const child = spawn(process.execPath, [BUNDLE, 'acquire', big, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = new Promise<number | null>((res) => child.on('close', res));
    // The log exists and says "in progress" before the copy starts.
    for (let i = 0; i < 200 && !existsSync(`${out}.custody.json`); i++) await new Promise((r) => setTimeout(r, 50));
    expect(custody(out).result).toBe('in progress');
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGINT');
    expect(await code, stderr).toBe(130);
    const c = custody(out);
    expect(c.result).toBe('interrupted');
    expect(c.error).toMatch(/interrupted by SIGINT; the unfinished image stays under big\.copy\.partial/);
    expect(readFileSync(`${out}.custody.txt`, 'utf8')).toMatch(/^Result: +INTERRUPTED/m);
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.partial`)).toBe(true);
    rmSync(`${out}.partial`);
    rmSync(big);
  });

  it('a local image never lingers as .partial after success; progress is plain lines off a terminal', async () => {
    const out = path.join(dir, 'final.raw');
    const r = await runResponder(['acquire', src, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(out)).toBe(true);
    expect(existsSync(`${out}.partial`)).toBe(false);
    expect(r.stderr).toMatch(/^step 1 of 2: copying/m);
    expect(r.stderr).toMatch(/^step 2 of 2: reading the image back/m);
    expect(r.stderr).toMatch(/^copy: done, 23\.0 MiB of 23\.0 MiB \(100\.0%\), .*read errors: 0, took /m);
    expect(r.stderr).not.toContain('\r');
  });

  it('--to tcp:// sends the image to a listener', async () => {
    const received: Buffer[] = [];
    const server = net.createServer((s) => s.on('data', (d) => received.push(d)));
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const port = (server.address() as net.AddressInfo).port;
    const done = new Promise<void>((res) => server.on('connection', (s) => s.on('end', res)));
    const log = path.join(dir, 'tcp');
    const r = await runResponder(['acquire', src, '--to', `tcp://127.0.0.1:${port}`, '--log', log]);
    await done;
    server.close();
    expect(r.code, r.stderr).toBe(0);
    const all = Buffer.concat(received);
    expect(all.length).toBe(SIZE);
    expect((await import('node:crypto')).createHash('sha256').update(all).digest('hex')).toBe(want.sha256);
    expect(custody(log).destination).toMatchObject({ kind: 'tcp', url: `tcp://127.0.0.1:${port}` });
  });

  it('refuses to write onto the source, over an existing file, or inside a mount of the source', async () => {
    expectOneLineError(await runResponder(['acquire', src, '--out', src]));
    const exists = path.join(dir, 'copy.raw');
    const r = await runResponder(['acquire', src, '--out', exists]);
    expectOneLineError(r);
    expect(r.stderr).toMatch(/already exists/);
    // The source image's own file system, mounted read-write: an image written in there would
    // change the evidence file itself.
    const mnt = path.join(dir, 'mnt');
    mkdirSync(mnt);
    const loop = sh(['losetup', '--find', '--show', src]).trim();
    try {
      sh(['mount', '-t', 'ext4', '-o', 'ro,noload', loop, mnt]);
      try {
        const inside = await runResponder(['acquire', src, '--out', path.join(mnt, 'x.raw')]);
        expectOneLineError(inside);
        expect(inside.stderr).toMatch(/mount of the source image/);
      } finally {
        sh(['umount', mnt]);
      }
    } finally {
      sh(['losetup', '-d', loop]);
    }
    expect(sh(['sha256sum', src]).split(' ')[0]).toBe(want.sha256);
  });

  it('errors are one line with a non-zero exit: missing source, permission, bad flags', async () => {
    const missing = await runResponder(['acquire', path.join(dir, 'nope.raw'), '--out', path.join(dir, 'n.raw')]);
    expectOneLineError(missing);
    expect(missing.stderr).toMatch(/no such file or device/);

    const secret = path.join(dir, 'secret.raw');
    sh(['cp', src, secret]);
    chmodSync(secret, 0o600);
    const outDir = mkdtempSync(path.join(tmpdir(), 'responder-nobody-'));
    chmodSync(outDir, 0o777);
    const denied = await runResponder(['acquire', secret, '--out', path.join(outDir, 'x.raw')], { uid: 65534, gid: 65534, cwd: '/' });
    expectOneLineError(denied);
    expect(denied.stderr).toMatch(/permission denied/);
    expect(existsSync(path.join(outDir, 'x.raw'))).toBe(false);
    rmSync(outDir, { recursive: true, force: true });

    const badHash = await runResponder(['acquire', src, '--out', path.join(dir, 'b.raw'), '--hash', 'crc32']);
    expectOneLineError(badHash);
    expect(badHash.code).toBe(2);
    const both = await runResponder(['acquire', src]);
    expect(both.code).toBe(2);
    const badUrl = await runResponder(['acquire', src, '--to', 'ssh://-oProxyCommand=x/evil']);
    expectOneLineError(badUrl);
  });

  it('a block device source: sysfs facts in the custody log; no output on a file system of that device', async () => {
    const img = path.join(dir, 'dev.raw');
    sh(['truncate', '-s', '24M', img]);
    sh(['mkfs.ext4', '-q', '-F', img]);
    const loop = sh(['losetup', '--find', '--show', img]).trim();
    const mnt = path.join(dir, 'devmnt');
    mkdirSync(mnt);
    try {
      const out = path.join(dir, 'dev.copy');
      const r = await runResponder(['acquire', loop, '--out', out, '--json']);
      expect(r.code, r.stderr).toBe(0);
      const c = JSON.parse(r.stdout.toString());
      expect(c.source).toMatchObject({ path: loop, kind: 'block device', size: 24 * 1024 * 1024, sectorSize: 512 });
      expect(c.source.devno).toMatch(/^7:\d+$/);
      expect(c.hashes.sha256).toBe(sh(['sha256sum', img]).split(' ')[0]);
      sh(['mount', '-t', 'ext4', '-o', 'ro,noload', loop, mnt]);
      try {
        const onSource = await runResponder(['acquire', loop, '--out', path.join(mnt, 'x.raw')]);
        expectOneLineError(onSource);
        expect(onSource.stderr).toMatch(/on the source device/);
      } finally {
        sh(['umount', mnt]);
      }
    } finally {
      sh(['losetup', '-d', loop]);
    }
  });

  it('an empty (truncated to nothing) source gives an empty verified image, not a crash', async () => {
    const empty = path.join(dir, 'empty.raw');
    sh(['truncate', '-s', '0', empty]);
    const out = path.join(dir, 'empty.copy');
    const r = await runResponder(['acquire', empty, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(custody(out).hashes.sha256).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
