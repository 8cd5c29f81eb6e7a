// SPDX-License-Identifier: GPL-3.0-or-later
// Which format is on a disk, a partition or an image, read from its own signatures. The order
// matters: containers whose contents may carry a stale file-system signature (RAID members, LVM,
// encryption, swap) are recognised first, as libblkid does, so that e.g. an md member holding an
// ext4 file system is never mounted directly (which would bypass and desynchronise the array).
import type { BlockReader } from './reader.js';
import type { FsSignature, Prober } from './signature.js';
import { probeBtrfs, probeExt, probeLuks, probeLvm2, probeMd, probeSwap, probeXfs } from './fs-linux.js';
import { probeBitlocker, probeExfat, probeNtfs, probeVfat } from './fs-windows.js';
import { probeApfs, probeIso9660 } from './fs-other.js';

export type { FsSignature } from './signature.js';

const PROBERS: Prober[] = [probeLuks, probeBitlocker, probeMd, probeLvm2, probeSwap, probeExt, probeXfs, probeBtrfs, probeNtfs, probeExfat, probeVfat, probeIso9660, probeApfs];

/** The first signature found, or undefined. A truncated image just yields fewer matches. */
export function probeFilesystem(r: BlockReader): FsSignature | undefined {
  for (const p of PROBERS) {
    const sig = p(r);
    if (sig) return sig;
  }
  return undefined;
}
