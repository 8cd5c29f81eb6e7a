// SPDX-License-Identifier: GPL-3.0-or-later
// A list of records the responder keeps in its state folder (what `mount` and `unlock` made, so
// `umount` and `lock` undo exactly that): JSON, private to root, replaced atomically.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stateDir } from './state-dir.js';

export interface StateFile<T> {
  load(): T[];
  save(records: T[]): void;
}

export function stateFile<T>(name: string): StateFile<T> {
  const file = () => path.join(stateDir(), name);
  return {
    load() {
      try {
        const data = JSON.parse(readFileSync(file(), 'utf8')) as unknown;
        return Array.isArray(data) ? (data as T[]) : [];
      } catch {
        return []; // none yet (a new boot: the folder is in RAM)
      }
    },
    save(records) {
      const target = file();
      mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
      const tmp = `${target}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(records, null, 2) + '\n', { mode: 0o600 });
      renameSync(tmp, target); // atomic: a crash never leaves half a state file
    },
  };
}
