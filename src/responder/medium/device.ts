// SPDX-License-Identifier: GPL-3.0-or-later
// Which block device a mount point comes from (/proc/self/mountinfo), and the whole disk a
// partition belongs to (/sys/dev/block/MAJ:MIN): live-boot may mount partition 1 of a USB stick
// (/dev/sda1), but the ISO starts at the first byte of the stick (/dev/sda).
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { SYS } from '../disk/sysfs.js';

export interface MountSource {
  /** As mountinfo names it, e.g. /dev/sr0 or /dev/sda1. */
  source: string;
  devno: string;
  fsType: string;
}

/** mountinfo escapes space, tab, newline and backslash as \ooo. */
function unescape(s: string): string {
  return s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function findMount(mountPoint: string, mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): MountSource | undefined {
  let found: MountSource | undefined;
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const f = left.split(' ');
    const [fsType, source] = right.split(' ');
    // The last match wins: a later mount on the same point hides the earlier ones.
    if (unescape(f[4] ?? '') === mountPoint) found = { source: unescape(source ?? ''), devno: f[2] ?? '', fsType: fsType ?? '' };
  }
  return found;
}

/** /dev/NAME of the whole disk holding block device MAJ:MIN (itself when it is not a partition). */
export function wholeDisk(devno: string, sys = SYS): string {
  const dir = realpathSync(path.join(sys, 'dev/block', devno));
  const disk = existsSync(path.join(dir, 'partition')) ? path.dirname(dir) : dir;
  return `/dev/${path.basename(disk)}`;
}
