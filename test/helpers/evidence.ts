// SPDX-License-Identifier: GPL-3.0-or-later
// Evidence disk images for the forensic-mode tests, made by the test itself: raw images that a
// careless live system would change (dirty journals, swap, RAID, LVM, a planted live medium).
// Host tools only (e2fsprogs, xfsprogs, gdisk, util-linux, squashfs-tools), argv arrays only.
// The host kernel here has no md or device-mapper, so RAID and LVM come from a guest, committed
// (raid-lvm-evidence.ts).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, mkdtempSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Runs argv, returns stdout; throws with stderr on a non-zero exit. */
export function sh(argv: string[], input?: string): string {
  const [cmd, ...args] = argv;
  try {
    return execFileSync(cmd!, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${argv.join(' ')} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

export function sha256File(file: string): string {
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(4 << 20);
  try {
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return hash.digest('hex');
}

/** A 1.44 MB FAT floppy holding one file (mtools: the host kernel has no vfat). */
export function floppyImage(file: string): string {
  rmSync(file, { force: true });
  sh(['mkfs.vfat', '-C', '-n', 'EVFLOPPY', file, '1440']);
  const note = `${file}.txt`;
  writeFileSync(note, 'floppy evidence\n');
  try {
    sh(['env', 'MTOOLS_SKIP_CHECK=1', 'mcopy', '-i', file, note, '::/EVIDENCE.TXT']);
  } finally {
    rmSync(note, { force: true });
  }
  return file;
}

export function blankImage(file: string, mib: number): string {
  rmSync(file, { force: true });
  sh(['truncate', '-s', `${mib}M`, file]);
  return file;
}

/**
 * ext4 whose journal holds a committed transaction that was never written back (needs_recovery
 * set), made with debugfs's journal commands: no mount, so it works whatever the host kernel.
 * The transaction rewrites the data block of /evidence.txt, so a journal replay changes the image.
 */
export function dirtyExt4(file: string, label = 'EVEXT4'): string {
  blankImage(file, 64);
  sh(['mkfs.ext4', '-q', '-F', '-L', label, '-b', '4096', file]);
  const work = mkdtempSync(path.join(tmpdir(), 'fl-ext4-'));
  try {
    const original = path.join(work, 'evidence.txt');
    const replayed = path.join(work, 'replayed.bin');
    writeFileSync(original, 'original evidence\n');
    sh(['debugfs', '-w', '-R', `write ${original} evidence.txt`, file]);
    const block = /(\d+)/.exec(sh(['debugfs', '-R', 'bmap evidence.txt 0', file]))?.[1];
    if (!block || block === '0') throw new Error(`dirtyExt4: no data block for evidence.txt in ${file}`);
    writeFileSync(replayed, Buffer.concat([Buffer.from('REPLAYED JOURNAL\n'), Buffer.alloc(4096 - 17)]));
    const cmds = path.join(work, 'cmds');
    writeFileSync(cmds, `jo\njw -b ${block} ${replayed}\njc\n`);
    sh(['debugfs', '-w', '-f', cmds, file]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  if (!/needs_recovery/.test(sh(['dumpe2fs', '-h', file]))) throw new Error(`dirtyExt4: ${file} does not need recovery`);
  return file;
}

/** XFS with a dirty log: mounted through a loop device, written, then shut down with the log flushed. */
export function dirtyXfs(file: string): string {
  blankImage(file, 320); // mkfs.xfs refuses data sections under 300 MB
  sh(['mkfs.xfs', '-q', '-L', 'EVXFS', file]);
  const mnt = mkdtempSync(path.join(tmpdir(), 'fl-xfs-'));
  const loop = sh(['losetup', '--find', '--show', file]).trim();
  try {
    // A read-only flag set on this loop device earlier survives detach and re-attach.
    sh(['blockdev', '--setrw', loop]);
    sh(['mount', '-t', 'xfs', loop, mnt]);
    try {
      writeFileSync(path.join(mnt, 'evidence.txt'), 'original evidence\n');
      sh(['sync', '-f', mnt]);
      writeFileSync(path.join(mnt, 'late.txt'), 'written just before the crash\n');
      sh(['xfs_io', '-x', '-c', 'shutdown -f', mnt]);
    } finally {
      sh(['umount', mnt]);
    }
  } finally {
    sh(['losetup', '-d', loop]);
    rmSync(mnt, { recursive: true, force: true });
  }
  return file;
}

/** GPT disk: partition 1 is Linux swap (type 8200) with a swap signature, partition 2 Linux data. */
export function swapGpt(file: string): string {
  blankImage(file, 64);
  sh(['sgdisk', '-n', '1:2048:+32M', '-t', '1:8200', '-c', '1:evidence-swap', '-n', '2:0:0', '-t', '2:8300', file]);
  const part = blankImage(`${file}.part1`, 32);
  try {
    sh(['mkswap', '-L', 'EVSWAP', part]);
    sh(['dd', `if=${part}`, `of=${file}`, 'bs=512', 'seek=2048', 'conv=notrunc,fsync', 'status=none']);
  } finally {
    rmSync(part, { force: true });
  }
  return file;
}

/**
 * A planted live medium: live/filesystem.squashfs (a tiny tree that cannot boot) and .disk/
 * identifiers with the real image's volume label but a foreign live-uuid. If live-boot ever took
 * it, the boot would fail and the boot-medium check would name it.
 */
export function spoofDisk(file: string, label: string): string {
  const work = mkdtempSync(path.join(tmpdir(), 'fl-spoof-'));
  try {
    const tree = path.join(work, 'tree');
    const medium = path.join(work, 'medium');
    mkdirSync(path.join(tree, 'etc'), { recursive: true });
    writeFileSync(path.join(tree, 'etc/SPOOFED'), 'planted by the evidence disk\n');
    mkdirSync(path.join(medium, 'live'), { recursive: true });
    mkdirSync(path.join(medium, '.disk'), { recursive: true });
    sh(['mksquashfs', tree, path.join(medium, 'live/filesystem.squashfs'), '-quiet', '-noappend', '-comp', 'gzip']);
    writeFileSync(path.join(medium, 'live/filesystem.module'), 'filesystem.squashfs\n');
    writeFileSync(path.join(medium, '.disk/live-uuid'), 'planted-0000000000\n');
    writeFileSync(path.join(medium, '.disk/info'), 'Planted live system\n');
    blankImage(file, 64);
    sh(['mkfs.ext4', '-q', '-F', '-L', label.slice(0, 16), '-d', medium, file]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return file;
}
