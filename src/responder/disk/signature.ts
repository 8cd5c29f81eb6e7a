// SPDX-License-Identifier: GPL-3.0-or-later
/** What an on-disk signature says. `type` uses blkid's TYPE names so results compare with `blkid -p`. */
export interface FsSignature {
  type: string;
  label?: string;
  uuid?: string;
  /** Format version where the format has several (FAT12/16/32, LUKS1/2, md 1.0/1.1/1.2, ...). */
  version?: string;
  /** Size the file system says it has, in bytes (may be less than the partition). */
  fsSize?: number;
  blockSize?: number;
  /** The journal or log needs replaying: a plain `mount -o ro` would WRITE to the disk. */
  dirty?: boolean;
}

export type Prober = (r: import('./reader.js').BlockReader) => FsSignature | undefined;
