// SPDX-License-Identifier: GPL-3.0-or-later
// `responder mount`/`umount` on image files made here: ext4 and XFS with dirty journals/logs keep
// their sha256 through mount + read + umount (and a positive control shows a plain `mount -o ro`
// on a writable loop device DOES change them, so the test can fail); partitions of a GPT disk
// image (vfat, NTFS through ntfs-3g); refusals with the reason; loop devices detached afterwards.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dirtyExt4, dirtyXfs, sh, sha256File } from '../helpers/evidence.js';
import { expectOneLineError, runResponder } from '../helpers/responder-run.js';

const dir = mkdtempSync(path.join(tmpdir(), 'responder-mount-'));
const env = { RESPONDER_STATE_DIR: path.join(dir, 'state') };
const canXfs = /\txfs$/m.test(readFileSync('/proc/filesystems', 'utf8')) || trySh(['modprobe', 'xfs']);

function trySh(argv: string[]): boolean {
  try {
    sh(argv);
    return true;
  } catch {
    return false;
  }
}

function loopsOf(file: string): string {
  return sh(['losetup', '--associated', file]).trim();
}

/** Mount with responder, list and read a file, unmount; returns what was read. */
async function mountReadUmount(source: string, mnt: string, file?: string): Promise<string> {
  const m = await runResponder(['mount', source, mnt, '--json'], { env });
  expect(m.code, m.stderr).toBe(0);
  const rec = JSON.parse(m.stdout.toString());
  expect(rec.options).toEqual(expect.arrayContaining(['ro', 'noexec', 'nodev', 'nosuid']));
  const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  expect(mountinfo).toContain(` ${mnt} `);
  let text: string;
  try {
    const names = readdirSync(mnt);
    // Read every regular file at the top: reading must not change the image either (no atime).
    for (const n of names) if (n !== 'lost+found') readFileSync(path.join(mnt, n)).length;
    text = file ? readFileSync(path.join(mnt, file), 'utf8') : names.join(',');
  } catch (err) {
    await runResponder(['umount', mnt], { env }); // never leave a mount and loop device behind
    throw err;
  }
  const u = await runResponder(['umount', mnt], { env });
  expect(u.code, u.stderr).toBe(0);
  expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(` ${mnt} `);
  return text;
}

beforeAll(() => mkdirSync(env.RESPONDER_STATE_DIR, { recursive: true }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('responder mount: dirty journals are never replayed', () => {
  it('ext4 with a dirty journal: readable, sha256 unchanged, loop device detached', async () => {
    const img = dirtyExt4(path.join(dir, 'dirty-ext4.raw'));
    const before = sha256File(img);
    const text = await mountReadUmount(img, path.join(dir, 'mnt-ext4'), 'evidence.txt');
    expect(text).toBe('original evidence\n'); // the journal's newer block was not replayed
    expect(sha256File(img)).toBe(before);
    expect(loopsOf(img)).toBe('');
    expect(existsSync(path.join(dir, 'mnt-ext4'))).toBe(false); // created by mount, removed by umount

    // Positive control: the same image through a writable loop device and plain `-o ro` changes.
    const control = path.join(dir, 'control-ext4.raw');
    sh(['cp', img, control]);
    const loop = sh(['losetup', '--find', '--show', control]).trim();
    const mnt = mkdtempSync(path.join(dir, 'ctl-'));
    try {
      sh(['blockdev', '--setrw', loop]);
      sh(['mount', '-t', 'ext4', '-o', 'ro', loop, mnt]);
      sh(['umount', mnt]);
    } finally {
      sh(['losetup', '-d', loop]);
    }
    expect(sha256File(control)).not.toBe(before);
  });

  it.skipIf(!canXfs)('XFS with a dirty log: readable, sha256 unchanged', async () => {
    const img = dirtyXfs(path.join(dir, 'dirty-xfs.raw'));
    const before = sha256File(img);
    // evidence.txt may exist only in the unreplayed log: list the root, do not expect it.
    await mountReadUmount(img, path.join(dir, 'mnt-xfs'));
    expect(sha256File(img)).toBe(before);
    expect(loopsOf(img)).toBe('');

    const control = path.join(dir, 'control-xfs.raw');
    sh(['cp', img, control]);
    const loop = sh(['losetup', '--find', '--show', control]).trim();
    const mnt = mkdtempSync(path.join(dir, 'ctl-'));
    try {
      sh(['blockdev', '--setrw', loop]);
      sh(['mount', '-t', 'xfs', '-o', 'ro', loop, mnt]);
      sh(['umount', mnt]);
    } finally {
      sh(['losetup', '-d', loop]);
    }
    expect(sha256File(control)).not.toBe(before);
  });
});

describe('responder mount: partitions of a disk image', () => {
  const disk = path.join(dir, 'disk.raw');
  beforeAll(() => {
    sh(['truncate', '-s', '96M', disk]);
    sh(['sgdisk', '-n', '1:2048:+24M', '-t', '1:8300', '-n', '2:0:+40M', '-t', '2:0700', '-n', '3:0:+8M', '-t', '3:8200', disk]);
    const parts = JSON.parse(sh(['sfdisk', '--json', disk])).partitiontable.partitions as { start: number; size: number }[];
    const mk = (i: number, argv: string[], fill?: (mnt: string) => void) => {
      const p = parts[i]!;
      const loop = sh(['losetup', '--find', '--show', '--offset', String(p.start * 512), '--sizelimit', String(p.size * 512), disk]).trim();
      try {
        sh([...argv, loop]);
        if (fill) {
          const mnt = mkdtempSync(path.join(dir, 'fill-'));
          sh(['ntfs-3g', loop, mnt]);
          try {
            fill(mnt);
          } finally {
            sh(['umount', mnt]);
          }
        }
      } finally {
        sh(['losetup', '-d', loop]);
      }
    };
    // ext4 filled by mke2fs -d (no mount needed); NTFS filled through ntfs-3g (FUSE).
    const content = mkdtempSync(path.join(dir, 'content-'));
    writeFileSync(path.join(content, 'BOOT.TXT'), 'efi\n');
    mk(0, ['mkfs.ext4', '-q', '-F', '-L', 'BOOTFS', '-d', content]);
    mk(1, ['mkntfs', '-q', '-F', '-f', '-L', 'Windows'], (m) => writeFileSync(path.join(m, 'Users.txt'), 'ntfs evidence\n'));
    mk(2, ['mkswap', '-L', 'swap']);
  });

  it('disk.raw:1 (ext4) and --partition 2 (NTFS through ntfs-3g), hash unchanged', async () => {
    const before = sha256File(disk);
    expect(await mountReadUmount(`${disk}:1`, path.join(dir, 'p1'), 'BOOT.TXT')).toBe('efi\n');
    const m = await runResponder(['mount', disk, path.join(dir, 'p2'), '--partition', '2', '--json'], { env });
    expect(m.code, m.stderr).toBe(0);
    expect(JSON.parse(m.stdout.toString())).toMatchObject({ fsType: 'ntfs', label: 'Windows', partition: 2 });
    expect(readFileSync(path.join(dir, 'p2', 'Users.txt'), 'utf8')).toBe('ntfs evidence\n');
    expect((await runResponder(['umount', path.join(dir, 'p2')], { env })).code).toBe(0);
    expect(sha256File(disk)).toBe(before);
    expect(loopsOf(disk)).toBe('');
  });

  it('refuses swap, a missing partition and an unknown format, with the reason', async () => {
    const swap = await runResponder(['mount', `${disk}:3`, path.join(dir, 'p3')], { env });
    expectOneLineError(swap);
    expect(swap.stderr).toMatch(/refusing to mount .*swap area/);
    const none = await runResponder(['mount', `${disk}:7`, path.join(dir, 'p7')], { env });
    expectOneLineError(none);
    expect(none.stderr).toMatch(/no partition 7/);
    const junk = path.join(dir, 'junk.raw');
    writeFileSync(junk, Buffer.alloc(1 << 20, 0x5a));
    const unknown = await runResponder(['mount', junk, path.join(dir, 'pj')], { env });
    expectOneLineError(unknown);
    expect(unknown.stderr).toMatch(/no file system signature/);
    expect(existsSync(path.join(dir, 'p3'))).toBe(false);
    const missing = await runResponder(['mount', path.join(dir, 'absent.raw')], { env });
    expectOneLineError(missing);
    const notMounted = await runResponder(['umount', path.join(dir, 'nothing-here')], { env });
    expectOneLineError(notMounted);
  });
});

// This host's kernel has no apfs module (the guest tests 50 and 73 have one): the real CLI must
// stop with one clear line before attaching anything, and point a whole Mac disk at its partition.
const hasMkapfs = trySh(['mkapfs', '-h']) || existsSync('/usr/sbin/mkapfs');
describe.skipIf(!hasMkapfs || trySh(['modinfo', 'apfs']))('responder mount: APFS on a host without the apfs module', () => {
  it('says the module is missing, leaves no loop device or mount point; names the APFS partition of a whole disk', async () => {
    const disk = path.join(dir, 'mac.raw');
    sh(['truncate', '-s', '200M', disk]);
    sh(['sgdisk', '-n', '1:2048:+8M', '-t', '1:EF00', '-n', '2:0:0', '-t', '2:7C3457EF-0000-11AA-AA11-00306543ECAC', disk]);
    const part = path.join(dir, 'p2.apfs');
    sh(['truncate', '-s', '190M', part]);
    sh(['mkapfs', part]);
    sh(['dd', `if=${part}`, `of=${disk}`, 'bs=1M', 'seek=9', 'conv=notrunc,sparse', 'status=none']);
    const whole = await runResponder(['mount', disk, path.join(dir, 'mac')], { env });
    expectOneLineError(whole);
    expect(whole.stderr).toContain(`(partitions 1: EFI system, 2: APFS): mount one partition, e.g. responder mount ${disk}:2`);
    const m = await runResponder(['mount', `${disk}:2`, path.join(dir, 'mac-p2')], { env });
    expectOneLineError(m);
    expect(m.stderr).toMatch(/^responder: the apfs kernel module is not available on this system: modprobe: (FATAL: Module apfs not found|program not found)/);
    expect(m.stderr).toMatch(/hint: .*apfs-dkms/);
    expect(loopsOf(disk)).toBe('');
    expect(existsSync(path.join(dir, 'mac-p2'))).toBe(false);
  });
});
