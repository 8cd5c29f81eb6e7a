// SPDX-License-Identifier: GPL-3.0-or-later
// `responder timeline` (the real bundle) on a real ext4 image, mounted read-only, against The Sleuth
// Kit: `fls -r -m /` on the image file must list the same names with the same inode numbers,
// modes, owners, sizes and a/m/c/cr times; `mactime -b OUR_BODY -y -z UTC` must print exactly our
// timeline; and the image must be unchanged afterwards.
//
// Expected differences, normalised here rather than hidden:
// - fls adds the virtual "/$OrphanFiles" directory (TSK's home for orphan inodes, not a real
//   directory); a mounted tree has no such thing.
// - fls writes names raw except that bytes < 0x20 become "^" (lossy, and a "|" in a name shifts
//   the fields); we escape "|", "\", control bytes and invalid UTF-8 as \xHH / \\ (reversible).
//   To compare, our names are unescaped to bytes and given fls's "^" treatment, and fls lines are
//   read from the right (the last nine fields are fixed), so its raw "|" does not matter.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync, chmodSync, chownSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, TEST_OUT } from '../helpers/e2e.js';
import { parseBodyLine, unescapeName, type BodyRecord } from '../../src/responder/timeline/body.js';

const has = (cmd: string) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status === 0;
const canRun = process.getuid?.() === 0 && ['mkfs.ext4', 'fls', 'mactime', 'mount', 'umount'].every(has);

const WORK = path.join(TEST_OUT, `responder-timeline-${process.pid}`);
const SRC = path.join(WORK, 'src');
const IMG = path.join(WORK, 'evidence.ext4');
const MNT = path.join(WORK, 'mnt');
const B = (s: string | number[]) => (typeof s === 'string' ? Buffer.from(s) : Buffer.from(s));

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function touch(p: string, when: string, which: '-a' | '-m' | '' = '') {
  execFileSync('touch', ['-h', ...(which ? [which] : []), '-d', when, p]);
}

function responder(args: string[]) {
  const r = spawnSync(process.execPath, [path.join(REPO, 'bin/responder.js'), ...args], { cwd: WORK, encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** fls's rendering of a name: raw bytes, bytes below 0x20 as "^". As latin1 so every byte is one character. */
function flsStyle(escaped: string): string {
  const raw = unescapeName(escaped);
  return Buffer.from(raw.map((b) => (b < 0x20 ? 0x5e : b))).toString('latin1');
}

function byName(records: BodyRecord[], name: (r: BodyRecord) => string): Map<string, BodyRecord> {
  const m = new Map<string, BodyRecord>();
  for (const r of records) {
    const k = name(r);
    expect(m.has(k), `duplicate name ${JSON.stringify(k)}`).toBe(false);
    m.set(k, r);
  }
  return m;
}

describe.skipIf(!canRun)('responder timeline vs Sleuth Kit fls on an ext4 image', () => {
  let mounted = false;
  let imageHash = '';

  beforeAll(() => {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(path.join(SRC, 'etc/cron.d'), { recursive: true });
    mkdirSync(path.join(SRC, 'tmp'), { recursive: true });
    mkdirSync(MNT);
    // The real bundle, as the image carries it.
    execFileSync(process.execPath, [path.join(REPO, 'scripts/bundle-responder.mjs')], { cwd: REPO });

    writeFileSync(path.join(SRC, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    writeFileSync(path.join(SRC, 'etc/cron.d/evil'), '* * * * * root /tmp/.x\n');
    writeFileSync(path.join(SRC, 'pi|pe'), 'pipe');
    writeFileSync(path.join(SRC, 'new\nline'), 'newline');
    writeFileSync(path.join(SRC, 'tab\there'), '');
    writeFileSync(path.join(SRC, 'back\\slash'), '');
    writeFileSync(Buffer.concat([B(SRC + '/bad'), B([0xff, 0xfe]), B('name')]), 'latin junk');
    writeFileSync(path.join(SRC, 'Café ☕.txt'), 'utf-8');
    writeFileSync(path.join(SRC, 'tmp/.x'), '#!/bin/sh\n');
    chmodSync(path.join(SRC, 'tmp/.x'), 0o4755); // setuid: r/rrwsr-xr-x
    chmodSync(path.join(SRC, 'tmp'), 0o1777); // sticky: d/drwxrwxrwt
    chownSync(path.join(SRC, 'etc/cron.d/evil'), 1234, 5678);
    symlinkSync('etc/passwd', path.join(SRC, 'link'));
    symlinkSync('tar|get', path.join(SRC, 'link|pipe'));
    symlinkSync('.', path.join(SRC, 'loop'));
    execFileSync('mkfifo', [path.join(SRC, 'fifo')]);
    touch(path.join(SRC, 'etc/passwd'), '2019-06-01 12:00:00 UTC');
    touch(path.join(SRC, 'etc/cron.d/evil'), '2024-02-29 23:59:58 UTC', '-m');
    touch(path.join(SRC, 'etc/cron.d/evil'), '2024-03-01 00:00:01 UTC', '-a');
    touch(path.join(SRC, 'pi|pe'), '2001-09-09 01:46:40 UTC');
    touch(path.join(SRC, 'link'), '2010-10-10 10:10:10 UTC');

    // mkfs.ext4 -d copies the tree (names, modes, owners, a/m times) into a fresh image.
    execFileSync('mkfs.ext4', ['-q', '-F', '-I', '256', '-d', SRC, '-L', 'evidence', IMG, '16M'], { stdio: 'pipe' });
    imageHash = sha256(IMG);
    execFileSync('mount', ['-t', 'ext4', '-o', 'ro,noload,noexec,nodev,nosuid,loop', IMG, MNT]);
    mounted = true;
  });

  afterAll(() => {
    if (mounted) spawnSync('umount', [MNT]);
    rmSync(WORK, { recursive: true, force: true });
  });

  it('writes a body file that matches fls -r -m / entry by entry', () => {
    const r = responder(['timeline', MNT, '--body', path.join(WORK, 'ours.body')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/timeline: \d+ entries/);

    const oursText = readFileSync(path.join(WORK, 'ours.body'), 'utf8');
    const ourLines = oursText.split('\n').filter(Boolean);
    for (const l of ourLines) expect(l.split('|'), l).toHaveLength(11); // escaping keeps the format
    const ours = ourLines.map((l) => parseBodyLine(l)!);

    // fls output is raw bytes: read it as latin1 so invalid UTF-8 survives one byte per character.
    const flsOut = execFileSync('fls', ['-r', '-m', '/', IMG], { maxBuffer: 64 << 20 }).toString('latin1');
    const theirs = flsOut
      .split('\n')
      .filter(Boolean)
      .map((l) => parseBodyLine(l)!)
      .filter((x) => !x.name.startsWith('/$OrphanFiles'));

    const a = byName(ours, (x) => flsStyle(x.name));
    const b = byName(theirs, (x) => x.name);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    expect(a.size).toBeGreaterThanOrEqual(17);

    for (const [name, o] of a) {
      const t = b.get(name)!;
      const label = JSON.stringify(name);
      expect(o.inode, label).toBe(t.inode);
      expect(o.mode, label).toBe(t.mode);
      expect([o.uid, o.gid], label).toEqual([t.uid, t.gid]);
      expect(o.size, label).toBe(t.size);
      expect([o.atime, o.mtime, o.ctime], label).toEqual([t.atime, t.mtime, t.ctime]);
      // ext4 with 256-byte inodes keeps a birth time; statx reports it (0 if the kernel cannot).
      if (o.crtime !== 0) expect(o.crtime, label).toBe(t.crtime);
    }

    // Spot checks of the escaping and the TSK mode strings.
    const names = ours.map((x) => x.name);
    expect(names).toContain('/pi\\x7cpe');
    expect(names).toContain('/new\\x0aline');
    expect(names).toContain('/bad\\xff\\xfename');
    expect(names).toContain('/back\\\\slash');
    expect(names).toContain('/Café ☕.txt');
    expect(names).toContain('/link|pipe -> tar|get'.replace(/\|/g, '\\x7c'));
    expect(names).toContain('/loop -> .');
    expect(ours.find((x) => x.name === '/tmp/.x')!.mode).toBe('r/rrwsr-xr-x');
    expect(ours.find((x) => x.name === '/tmp')!.mode).toBe('d/drwxrwxrwt');
    expect(ours.find((x) => x.name === '/fifo')!.mode).toBe('p/prw-r--r--');
    expect(ours.find((x) => x.name === '/etc/cron.d/evil')).toMatchObject({ uid: 1234, gid: 5678, mtime: Date.UTC(2024, 1, 29, 23, 59, 58) / 1000 });
  });

  it('prints exactly what mactime -b prints for our body file (text and CSV), and filters by date', () => {
    const body = path.join(WORK, 'ours.body');
    const text = responder(['timeline', MNT, '--body', path.join(WORK, 'text.body')]);
    expect(text.code, text.stderr).toBe(0);
    const mactime = execFileSync('mactime', ['-b', body, '-y', '-z', 'UTC'], { encoding: 'utf8' });
    expect(text.stdout).toBe(mactime);

    const csv = responder(['timeline', MNT, '--body', path.join(WORK, 'csv.body'), '--csv']);
    expect(csv.stdout).toBe(execFileSync('mactime', ['-b', body, '-y', '-z', 'UTC', '-d'], { encoding: 'utf8' }));

    const ranged = responder(['timeline', MNT, '--body', path.join(WORK, 'range.body'), '--csv', '--from', '2024-02-29', '--to', '2024-03-01']);
    expect(ranged.code).toBe(0);
    const lines = ranged.stdout.trim().split('\n').slice(1);
    expect(lines).toEqual([
      '2024-02-29T23:59:58Z,23,m...,r/rrw-r--r--,1234,5678,' + lines[0]!.split(',')[6] + ',"/etc/cron.d/evil"',
      '2024-03-01T00:00:01Z,23,.a..,r/rrw-r--r--,1234,5678,' + lines[0]!.split(',')[6] + ',"/etc/cron.d/evil"',
    ]);
  });

  it('refuses to overwrite a body file or to write into the evidence, in one line', () => {
    const again = responder(['timeline', MNT, '--body', path.join(WORK, 'ours.body')]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already exists; not overwriting/);
    const inside = responder(['timeline', MNT, '--body', path.join(MNT, 'x.body')]);
    expect(inside.code).toBe(2);
    expect(inside.stderr).toMatch(/inside the evidence tree/);
    const missing = responder(['timeline', path.join(WORK, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('left the image unchanged', () => {
    spawnSync('umount', [MNT]);
    mounted = false;
    expect(sha256(IMG)).toBe(imageHash);
  });
});

// `elf` and `report` through the same bundle (no root needed): the CLI surface, exit codes, JSON.
describe('responder elf and report through the bundle', () => {
  const dir = path.join(TEST_OUT, `responder-cli-${process.pid}`);
  beforeAll(() => {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, 'case'), { recursive: true });
    execFileSync(process.execPath, [path.join(REPO, 'scripts/bundle-responder.mjs')], { cwd: REPO });
    const broken = Buffer.from(readFileSync('/usr/bin/true').subarray(0, 64));
    broken.writeBigUInt64LE(1n << 40n, 40); // e_shoff far past the end
    writeFileSync(path.join(dir, 'broken'), broken);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('elf: JSON for every file, exit 1 when one is malformed', () => {
    const ok = spawnSync(process.execPath, [path.join(REPO, 'bin/responder.js'), 'elf', '/usr/bin/true', '--json'], { encoding: 'utf8' });
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)[0]).toMatchObject({ status: 'ok', class: 'ELF64', interpreter: expect.stringMatching(/ld-linux/) });
    const bad = spawnSync(process.execPath, [path.join(REPO, 'bin/responder.js'), 'elf', '/usr/bin/true', path.join(dir, 'broken'), '--json'], { encoding: 'utf8' });
    expect(bad.status).toBe(1);
    const reports = JSON.parse(bad.stdout);
    expect(reports.map((r: { status: string }) => r.status)).toEqual(['ok', 'malformed']);
    expect(reports[1].reason).toMatch(/past the end of the file/);
  });

  it('report: writes report.md and report.html into the case folder', () => {
    writeFileSync(path.join(dir, 'case', 'disk.body'), '0|/etc/passwd|12|r/rrw-r--r--|0|0|10|1714557600|1714557600|1714557600|0\n');
    writeFileSync(path.join(dir, 'case', 'notes.json'), JSON.stringify({ findings: [{ severity: 'high', title: 'odd <b>cron</b> job' }] }));
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin/responder.js'), 'report', '--case', path.join(dir, 'case')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(path.join(dir, 'case', 'report.html'), 'utf8');
    expect(html).toContain('odd &lt;b&gt;cron&lt;/b&gt; job');
    expect(html).toContain('2024-05-01T10:00:00Z');
    expect(readFileSync(path.join(dir, 'case', 'report.md'), 'utf8')).toMatch(/Reporting the incident to your CERT/);
  });
});
