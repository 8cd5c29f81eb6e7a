// SPDX-License-Identifier: GPL-3.0-or-later
// How many bytes of a medium are the ISO that was written to it. A CD is exactly the ISO, but a
// USB stick is bigger, so the length must come from the ISO itself (an ISO cannot hold its own hash,
// but it does say how long it is):
//  - the ISO 9660 primary volume descriptor at byte 32768 of the whole medium: volume space size x
//    logical block size. xorriso (build-live's ISO writer) counts everything it writes in it,
//    including the appended EFI system partition and the backup GPT at the very end: on a built
//    ISO this is exactly the file's size. (The second superblock xorriso writes for the GPT's
//    partition 1, at 64 KiB with -partition_offset 16, counts only the file system: never use it.)
//  - the primary GPT header at byte 512: its backup header's LBA + 1, in 512-byte sectors, is where
//    the image as written ends. Used when it reaches further (other mastering tools that do not
//    count appended partitions in the volume size).
export const HEAD_BYTES = 64 * 1024;

export interface IsoExtent {
  bytes: number;
  /** Which structure said so. */
  from: 'iso9660' | 'gpt';
  /** The ISO 9660 volume label, for display. */
  volumeId: string;
}

/** From the first HEAD_BYTES of the medium (a whole disk or CD, not a partition). */
export function isoExtent(head: Buffer): IsoExtent {
  const pvd = head.subarray(32768, 32768 + 2048);
  if (pvd.length < 2048 || pvd[0] !== 1 || pvd.toString('latin1', 1, 6) !== 'CD001') {
    throw new Error('no ISO 9660 volume descriptor at byte 32768 (not an ISO, or a partition rather than the whole medium)');
  }
  const blocks = pvd.readUInt32LE(80);
  const blockSize = pvd.readUInt16LE(128);
  if (blocks === 0 || ![512, 1024, 2048].includes(blockSize)) throw new Error(`implausible ISO 9660 volume size: ${blocks} blocks of ${blockSize} bytes`);
  const volumeId = pvd.toString('latin1', 40, 72).trimEnd();
  let extent: IsoExtent = { bytes: blocks * blockSize, from: 'iso9660', volumeId };
  const gpt = head.subarray(512, 512 + 92);
  if (gpt.length === 92 && gpt.toString('latin1', 0, 8) === 'EFI PART') {
    const backupLba = gpt.readBigUInt64LE(32);
    const end = Number(backupLba + 1n) * 512;
    if (backupLba > 1n && end > extent.bytes && Number.isSafeInteger(end)) extent = { bytes: end, from: 'gpt', volumeId };
  }
  return extent;
}
