// SPDX-License-Identifier: GPL-3.0-or-later
// Deleted files: `responder timeline IMAGE` lists the names the file system still knows, deleted
// and orphan ones included (the same inodes `fls -d` lists, The Sleuth Kit being the reference),
// and `responder recover IMAGE INODE` writes a deleted file's content into the case, never onto the
// evidence. Real images: ext4 in a GPT partition (IMAGE:2), NTFS (ntfs-3g), FAT (mtools: the host
// kernel has no vfat); files written, then deleted through the file system. Images are hashed
// before and after: unchanged.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_OUT } from '../helpers/e2e.js';
import { runResponder } from '../helpers/responder-run.js';

const has = (cmd: string) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status === 0;
const canRun = process.getuid?.() === 0 && ['fls', 'icat', 'mkfs.ext4', 'mkntfs', 'ntfs-3g', 'mformat', 'mcopy', 'mdel', 'sgdisk', 'mkfs.xfs', 'losetup'].every(has);

const WORK = path.join(TEST_OUT, `responder-deleted-${process.pid}`);
const MNT = path.join(WORK, 'mnt');
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');
const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });

/** Deleted entries as `fls -d -r` lists them: their inode addresses. */
function flsDeleted(image: string, sectors = 0): Set<string> {
  const out = run('fls', ['-d', '-r', '-o', String(sectors), image]).toString('latin1');
  return new Set(
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => /\* (\S+?):\t/.exec(l)![1]!),
  );
}

/** Deleted or orphan entries in our body file: their inode addresses. */
function ourDeleted(body: string): Set<string> {
  const lines = readFileSync(body, 'utf8').split('\n').filter(Boolean);
  return new Set(
    lines
      .map((l) => l.split('|'))
      .filter((f) => / \(deleted(-realloc)?\)$/.test(f[1]!) || f[1]!.includes('/$OrphanFiles/'))
      .map((f) => f[2]!),
  );
}

async function timeline(spec: string, name: string) {
  const body = path.join(WORK, `${name}.body`);
  const r = await runResponder(['timeline', spec, '--body', body], { cwd: WORK });
  return { ...r, body };
}

describe.skipIf(!canRun)('deleted files: responder timeline and recover on images, vs fls -d', () => {
  const img = { ext4: path.join(WORK, 'gpt-ext4.img'), ntfs: path.join(WORK, 'ntfs.img'), fat: path.join(WORK, 'fat.img'), xfs: path.join(WORK, 'xfs.img') };
  const before: Record<string, string> = {};
  let ext4Sectors = 0;

  beforeAll(() => {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(MNT, { recursive: true });
    // ext4 in partition 2 of a GPT disk.
    run('truncate', ['-s', '40M', img.ext4]);
    run('sgdisk', ['-n', '1:2048:+4M', '-n', '2:0:0', img.ext4]);
    ext4Sectors = Number(/^\s*2\s+(\d+)/m.exec(run('sgdisk', ['-p', img.ext4]).toString())![1]);
    const loop = run('losetup', ['--find', '--show', '--offset', String(ext4Sectors * 512), img.ext4])
      .toString()
      .trim();
    try {
      run('mkfs.ext4', ['-q', '-F', loop]);
      run('mount', [loop, MNT]);
      mkdirSync(path.join(MNT, 'dir'));
      for (let k = 0; k < 3; k++) writeFileSync(path.join(MNT, 'dir', `gone-${k}.txt`), `secret ${k}\n`);
      writeFileSync(path.join(MNT, 'keep.txt'), 'keep\n');
      run('sync', []);
      for (let k = 0; k < 3; k++) rmSync(path.join(MNT, 'dir', `gone-${k}.txt`));
      run('umount', [MNT]);
    } finally {
      spawnSync('umount', [MNT]);
      run('losetup', ['-d', loop]);
    }
    // NTFS through ntfs-3g.
    run('truncate', ['-s', '32M', img.ntfs]);
    run('mkntfs', ['-q', '-F', '-f', img.ntfs]);
    run('ntfs-3g', [img.ntfs, MNT]);
    mkdirSync(path.join(MNT, 'dir'));
    writeFileSync(path.join(MNT, 'dir', 'gone.txt'), 'secret payload ntfs\n');
    writeFileSync(path.join(MNT, 'keep.txt'), 'keep\n');
    run('sync', []);
    rmSync(path.join(MNT, 'dir', 'gone.txt'));
    run('umount', [MNT]);
    // FAT through mtools.
    run('truncate', ['-s', '16M', img.fat]);
    run('mformat', ['-i', img.fat, '::']);
    const src = path.join(WORK, 'payload.txt');
    writeFileSync(src, 'secret payload fat\n');
    run('mcopy', ['-i', img.fat, src, '::gone.txt']);
    run('mcopy', ['-i', img.fat, src, '::keep.txt']);
    run('mdel', ['-i', img.fat, '::gone.txt']);
    run('truncate', ['-s', '300M', img.xfs]);
    run('mkfs.xfs', ['-q', '-f', img.xfs]);
    for (const [k, f] of Object.entries(img)) before[k] = sha(f);
  }, 120_000);
  afterAll(() => {
    spawnSync('umount', [MNT]);
    rmSync(WORK, { recursive: true, force: true });
  });

  it('ext4 in a GPT partition (IMAGE:2): the deleted inodes fls -d lists, and the live files', async () => {
    const r = await timeline(`${img.ext4}:2`, 'ext4');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/\(3 deleted or orphan\)/);
    const reference = flsDeleted(img.ext4, ext4Sectors);
    expect(reference.size).toBe(3);
    expect(ourDeleted(r.body)).toEqual(reference);
    expect(readFileSync(r.body, 'utf8')).toMatch(/^0\|\/keep\.txt\|\d+\|r\/rrw-r--r--\|/m);
  });

  it('NTFS: deleted names as fls -d lists them, and the content recovered by inode', async () => {
    const r = await timeline(img.ntfs, 'ntfs');
    expect(r.code, r.stderr).toBe(0);
    const reference = flsDeleted(img.ntfs);
    // fls -m also lists each deleted name's $FILE_NAME attribute (65-48-3 next to 65-128-2): the
    // same MFT entries.
    const entry = (s: Set<string>) => new Set([...s].map((i) => i.split('-')[0]));
    expect(entry(ourDeleted(r.body))).toEqual(entry(reference));
    const line = readFileSync(r.body, 'utf8')
      .split('\n')
      .find((l) => l.includes('/dir/gone.txt (deleted)'))!;
    const inode = line.split('|')[2]!;
    expect(reference.has(inode)).toBe(true);
    const out = path.join(WORK, 'case-ntfs');
    mkdirSync(out);
    const rec = await runResponder(['recover', img.ntfs, inode, '--out', out], { cwd: WORK });
    expect(rec.code, rec.stderr).toBe(0);
    const file = path.join(out, `inode-${inode}`);
    expect(readFileSync(file, 'utf8')).toBe('secret payload ntfs\n');
    expect(rec.stdout.toString()).toContain(`sha256 ${sha(file)}`);
    // Never over an existing file.
    const again = await runResponder(['recover', img.ntfs, inode, '--out', out], { cwd: WORK });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  });

  it('FAT: the deleted entry and its content', async () => {
    const r = await timeline(img.fat, 'fat');
    expect(r.code, r.stderr).toBe(0);
    const reference = flsDeleted(img.fat);
    expect(reference.size).toBe(1);
    expect(ourDeleted(r.body)).toEqual(reference);
    const [inode] = [...reference];
    const out = path.join(WORK, 'case-fat');
    mkdirSync(out);
    const rec = await runResponder(['recover', img.fat, inode!, '--out', out], { cwd: WORK });
    expect(rec.code, rec.stderr).toBe(0);
    expect(readFileSync(path.join(out, `inode-${inode}`), 'utf8')).toBe('secret payload fat\n');
  });

  it('refuses to recover into a mount of the evidence image', async () => {
    run('mount', ['-o', `ro,loop,offset=${ext4Sectors * 512}`, img.ext4, MNT]);
    try {
      const rec = await runResponder(['recover', `${img.ext4}:2`, '12', '--out', MNT], { cwd: WORK });
      expect(rec.code).toBe(1);
      expect(rec.stderr).toContain('is a mount of the source image');
    } finally {
      run('umount', [MNT]);
    }
  });

  it('says clearly when the Sleuth Kit cannot read the file system (XFS on bookworm)', async () => {
    const r = await timeline(img.xfs, 'xfs');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/fls could not read a file system in .*xfs\.img: Cannot determine file system type/);
    expect(r.stderr).toContain('not XFS');
  });

  it('leaves every image unchanged', () => {
    for (const [k, f] of Object.entries(img)) expect(sha(f), k).toBe(before[k]);
  });
});
