// SPDX-License-Identifier: GPL-3.0-or-later
// What `responder mount` created (loop device, mount point folder), kept in /run (a tmpfs: gone
// at reboot, like the mounts themselves) so `responder umount` undoes exactly that and no more.
import { readFileSync } from 'node:fs';
import { stateFile } from '../lib/state-file.js';
import type { ReplayOverlay } from './replay.js';

export interface MountRecord {
  mountpoint: string;
  source: string;
  partition?: number;
  /** The block device that was mounted (a partition, a device, or the loop device). */
  device: string;
  /** The loop device responder attached, to detach on umount. */
  loopDevice?: string;
  offset?: number;
  sizeLimit?: number;
  /** For an E01 SOURCE: the ewfmount (FUSE) folder showing its media data, taken down on umount. */
  ewfMount?: string;
  /** --replay: the dm snapshot, its COW loop device, file and tmpfs, all taken down on umount. */
  replay?: ReplayOverlay;
  fsType: string;
  label?: string;
  uuid?: string;
  options: string[];
  createdMountpoint: boolean;
  mountedAt: string;
}

const records = stateFile<MountRecord>('mounts.json');

export function loadState(): MountRecord[] {
  return records.load();
}

export function saveState(list: MountRecord[]): void {
  records.save(list);
}

/** Mount points and the devices mounted there, from /proc/self/mountinfo. */
export function currentMounts(): { devno: string; mountpoint: string; source: string }[] {
  let text = '';
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const f = line.split(' ');
      const dash = f.indexOf('-');
      return { devno: f[2]!, mountpoint: unescape(f[4]!), source: unescape(f[dash + 2] ?? '') };
    });
}
