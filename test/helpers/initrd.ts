// SPDX-License-Identifier: GPL-3.0-or-later
// The file names inside an initrd made by initramfs-tools (one zstd-compressed newc cpio archive,
// as the images' initramfs.conf makes it), read without cpio or lsinitramfs on the host.
import { execFileSync } from 'node:child_process';

const NEWC = ['070701', '070702'];

/** Every path in the archive, in order (leading "./" removed). */
export function initrdNames(file: string): string[] {
  const data = execFileSync('zstd', ['-dc', file], { maxBuffer: 1 << 30 });
  const names: string[] = [];
  let at = 0;
  while (at + 110 <= data.length) {
    const magic = data.toString('latin1', at, at + 6);
    if (!NEWC.includes(magic)) throw new Error(`${file}: no newc cpio header at byte ${at}`);
    const field = (i: number) => parseInt(data.toString('latin1', at + 6 + i * 8, at + 14 + i * 8), 16);
    const fileSize = field(6);
    const nameSize = field(11);
    const name = data.toString('utf8', at + 110, at + 110 + nameSize - 1);
    if (name === 'TRAILER!!!') break;
    names.push(name.replace(/^\.\//, ''));
    at = align4(align4(at + 110 + nameSize) + fileSize);
  }
  return names;
}

const align4 = (n: number) => (n + 3) & ~3;
