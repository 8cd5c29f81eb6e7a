// SPDX-License-Identifier: GPL-3.0-or-later
// The largest file the target file system can hold, from statfs's f_type, so that --split (or an
// unsplit image) that cannot fit is refused before hours of copying, not at byte 4 GiB.
import { promises as fsp } from 'node:fs';
import { humanBytes } from '../lib/output.js';
import { ResponderError, UsageError } from '../lib/errors.js';

/** statfs f_type values (linux/magic.h) of file systems with a small maximum file size. */
const LIMITS: Record<number, { name: string; max: number }> = {
  0x4d44: { name: 'FAT (vfat/msdos)', max: 2 ** 32 - 1 }, // MSDOS_SUPER_MAGIC: FAT12/16/32
};

export function fileSizeLimit(fsType: number): { name: string; max: number } | undefined {
  return LIMITS[fsType];
}

/** Refuse a piece size (or, unsplit, a source size) that the file system of DIR cannot hold. */
export function checkPieceFits(fsType: number, dir: string, sourceSize: number, split: number | undefined): void {
  const limit = fileSizeLimit(fsType);
  if (!limit) return;
  const hint = `use --split ${Math.floor(limit.max / 2 ** 20)}M or smaller, or a disk with ext4 or exFAT`;
  if (split !== undefined && split > limit.max) throw new UsageError(`--split ${split} bytes: ${dir} is on ${limit.name}, whose files hold at most ${limit.max} bytes (4 GiB - 1)`, hint);
  if (split === undefined && sourceSize > limit.max)
    throw new ResponderError(`${dir} is on ${limit.name}, whose files hold at most ${limit.max} bytes; the source is ${sourceSize} bytes (${humanBytes(sourceSize)})`, 2, hint);
}

export async function checkTargetFs(dir: string, sourceSize: number, split: number | undefined): Promise<void> {
  const st = await fsp.statfs(dir);
  checkPieceFits(st.type, dir, sourceSize, split);
}
