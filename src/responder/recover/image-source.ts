// SPDX-License-Identifier: GPL-3.0-or-later
// An image file or block device given to `timeline` or `recover`, "disk.raw:2" for a partition:
// where its file system starts, from responder's own reading of the partition table (the same
// as `responder mount`), for The Sleuth Kit's -o (in 512-byte sectors).
import { ResponderError } from '../lib/errors.js';
import { resolveSource, type ResolvedSource } from '../mount/source.js';
import { escapeEvidence } from '../logins/escape.js';
import type { BodyRecord } from '../timeline/body.js';
import { runFls, SECTOR } from './fls.js';

export function imageSource(spec: string): ResolvedSource {
  const { src, close } = resolveSource(spec);
  close();
  if (src.offset % SECTOR !== 0) throw new ResponderError(`${spec}: the partition starts at byte ${src.offset}, not on a 512-byte sector`);
  return src;
}

/** Body records of every name the file system knows, deleted and orphan ones included (fls). */
export async function imageRecords(spec: string, mountPoint: string, onRecord: (r: BodyRecord) => void): Promise<{ records: number; deleted: number; malformed: number }> {
  const src = imageSource(spec);
  const res = await runFls(src.path, src.offset, mountPoint, onRecord);
  if (res.error && res.records === 0) {
    throw new ResponderError(
      `fls could not read a file system in ${escapeEvidence(spec)}: ${res.error}`,
      1,
      "this system's Sleuth Kit reads ext2/3/4, NTFS, FAT, exFAT, HFS+, ISO 9660 and UFS (bookworm's 4.11 not XFS nor btrfs: mount those and run timeline on the tree); give a partition as IMAGE:N",
    );
  }
  return res;
}
