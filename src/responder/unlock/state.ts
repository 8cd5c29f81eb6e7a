// SPDX-License-Identifier: GPL-3.0-or-later
// What `responder unlock` opened, so `responder lock` can close exactly that: the mapping and the
// read-only loop device it attached for an image file. /run/responder/unlocked.json, like mounts.json.
import { stateFile } from '../lib/state-file.js';

export interface UnlockRecord {
  name: string;
  /** /dev/mapper/NAME */
  mapping: string;
  source: string;
  partition?: number;
  /** What cryptsetup opened: the device itself or the loop device below. */
  device: string;
  loopDevice?: string;
  luksVersion?: string;
  openedAt: string;
}

const records = stateFile<UnlockRecord>('unlocked.json');

export function loadUnlocked(): UnlockRecord[] {
  return records.load();
}

export function saveUnlocked(list: UnlockRecord[]): void {
  records.save(list);
}

/** A dm name that is safe as an argument and as a /dev/mapper file name. */
export function checkMappingName(name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) return `NAME must be 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit): "${name}"`;
  if (name.startsWith('responder-replay-')) return `NAME "${name}": names starting with responder-replay- are mount --replay's`;
  return undefined;
}
