// SPDX-License-Identifier: GPL-3.0-or-later
// What `responder mount` created (loop device, mount point folder), kept in /run (a tmpfs: gone
// at reboot, like the mounts themselves) so `responder umount` undoes exactly that and no more.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stateDir } from '../lib/state-dir.js';
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

function stateFile(): string {
  return path.join(stateDir(), 'mounts.json');
}

export function loadState(): MountRecord[] {
  try {
    const data = JSON.parse(readFileSync(stateFile(), 'utf8')) as unknown;
    return Array.isArray(data) ? (data as MountRecord[]) : [];
  } catch {
    return [];
  }
}

export function saveState(records: MountRecord[]): void {
  const file = stateFile();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(records, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file); // atomic: a crash never leaves half a state file
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
