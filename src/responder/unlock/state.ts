// SPDX-License-Identifier: GPL-3.0-or-later
// What `responder unlock` opened, so `responder lock` can close exactly that: the mapping and the
// read-only loop device it attached for an image file. /run/responder/unlocked.json, like mounts.json.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stateDir } from '../lib/state-dir.js';

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

function stateFile(): string {
  return path.join(stateDir(), 'unlocked.json');
}

export function loadUnlocked(): UnlockRecord[] {
  try {
    const data = JSON.parse(readFileSync(stateFile(), 'utf8')) as unknown;
    return Array.isArray(data) ? (data as UnlockRecord[]) : [];
  } catch {
    return [];
  }
}

export function saveUnlocked(records: UnlockRecord[]): void {
  const file = stateFile();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(records, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file); // atomic: a crash never leaves half a state file
}

/** A dm name that is safe as an argument and as a /dev/mapper file name. */
export function checkMappingName(name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) return `NAME must be 1-64 letters, digits, '.', '_' or '-' (starting with a letter or digit): "${name}"`;
  if (name.startsWith('responder-replay-')) return `NAME "${name}": names starting with responder-replay- are mount --replay's`;
  return undefined;
}
