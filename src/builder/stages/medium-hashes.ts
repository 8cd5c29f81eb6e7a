// SPDX-License-Identifier: GPL-3.0-or-later
// The hashes a forensic medium is checked against at boot, fixed when the ISO is built:
//  - GRUB's list (menu, kernel, initrds), embedded in the GRUB core images we make (memdisk), so a
//    medium whose files differ from this build's is not booted;
//  - the layers list (live/filesystem.module and each squashfs layer), carried in a second, tiny
//    initrd, so the initramfs only accepts a medium whose layers are this build's. It cannot go into
//    the main initrd: that one is made before the layers exist (initramfs stage, then squashfs).
// Pure: the stage hashes the files and writes the results.

/** `sha256sum` format (two spaces), relative names, sorted: what GRUB's hashsum --check and coreutils read. */
export function sha256List(entries: Record<string, string>): string {
  return Object.keys(entries)
    .sort()
    .map((name) => {
      const hash = entries[name]!;
      if (!/^[0-9a-f]{64}$/.test(hash)) throw new Error(`sha256List: not a sha256 for ${name}: ${hash}`);
      if (name.startsWith('/') || /[\s\\]/.test(name)) throw new Error(`sha256List: unusable file name ${JSON.stringify(name)}`);
      return `${hash}  ${name}\n`;
    })
    .join('');
}

/** Where the layers list lands in the initramfs (read by overlays/forensic/usr/lib/live/boot/9995-forensic-live.sh). */
export const LAYERS_LIST_PATH = 'conf/forensic-live-layers.sha256';

export interface CpioFile {
  name: string;
  data: Buffer;
  /** Permission bits; a regular file (or a directory with `dir`). */
  mode: number;
  dir?: boolean;
}

function pad4(n: number): number {
  return (4 - (n % 4)) % 4;
}

function newcHeader(ino: number, mode: number, size: number, nameSize: number): string {
  // magic, ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check
  const fields = [ino, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, nameSize, 0];
  return '070701' + fields.map((f) => f.toString(16).padStart(8, '0')).join('');
}

/**
 * A cpio archive in the kernel's initramfs format ("newc"), uncompressed, with every time, owner and
 * inode fixed so the same input gives the same bytes (reproducible ISOs). The kernel unpacks it on top
 * of the main initrd when GRUB loads both (`initrd A B` concatenates them).
 */
export function newcArchive(files: CpioFile[]): Buffer {
  const parts: Buffer[] = [];
  const entry = (ino: number, name: string, mode: number, data: Buffer): void => {
    const nameBytes = Buffer.from(`${name}\0`);
    const head = Buffer.from(newcHeader(ino, mode, data.length, nameBytes.length), 'ascii');
    parts.push(head, nameBytes, Buffer.alloc(pad4(head.length + nameBytes.length)), data, Buffer.alloc(pad4(data.length)));
  };
  files.forEach((f, i) => {
    if (!f.name || f.name.startsWith('/') || f.name.split('/').includes('..')) throw new Error(`newcArchive: bad name ${JSON.stringify(f.name)}`);
    entry(i + 1, f.name, (f.dir ? 0o040000 : 0o100000) | (f.mode & 0o7777), f.dir ? Buffer.alloc(0) : f.data);
  });
  entry(0, 'TRAILER!!!', 0, Buffer.alloc(0));
  const out = Buffer.concat(parts);
  // Initrds are padded to 512 bytes by convention (cpio's own block size).
  return Buffer.concat([out, Buffer.alloc((512 - (out.length % 512)) % 512)]);
}

/** The second initrd: `conf/` plus the layers list. */
export function layersInitrd(layers: Record<string, string>): Buffer {
  return newcArchive([
    { name: 'conf', data: Buffer.alloc(0), mode: 0o755, dir: true },
    { name: LAYERS_LIST_PATH, data: Buffer.from(sha256List(layers)), mode: 0o644 },
  ]);
}
