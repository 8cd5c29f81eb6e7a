// SPDX-License-Identifier: GPL-3.0-or-later
// The stage cache. An entry is a directory `<kind>-<key>` that appears in one atomic rename once it
// is complete; an interrupted build leaves only a `.tmp-*` directory, which no lookup ever trusts
// and the next build removes.
import { createHash } from 'node:crypto';
import { existsSync, statSync, utimesSync } from 'node:fs';
import { mkdir, readdir, rename, rm, writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { unmountAllBelow } from '../exec/mounts.js';
import { log } from '../log.js';

/** A stable hash of any JSON-able value (object keys sorted, so key order never matters). */
export function cacheKey(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex').slice(0, 24);
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export class StageCache {
  constructor(
    readonly dir: string,
    /** When false, lookups always miss (a cold build) but new entries are still written. */
    readonly useExisting = true,
  ) {}

  entryPath(kind: string, key: string): string {
    return path.join(this.dir, `${kind}-${key}`);
  }

  /** The entry's directory when it exists and is complete, else undefined. */
  lookup(kind: string, key: string): string | undefined {
    if (!this.useExisting) return undefined;
    const p = this.entryPath(kind, key);
    const marker = path.join(p, '.complete');
    if (!existsSync(marker)) return undefined;
    // The marker's mtime says when the entry was last used, for prune().
    const now = new Date();
    utimesSync(marker, now, now);
    return p;
  }

  /** Remove complete entries not used for `maxAgeDays` (a nightly build host must not fill up). */
  async prune(maxAgeDays: number, now = Date.now()): Promise<string[]> {
    if (!existsSync(this.dir)) return [];
    const removed: string[] = [];
    for (const name of await readdir(this.dir)) {
      const marker = path.join(this.dir, name, '.complete');
      if (name.startsWith('.') || !existsSync(marker)) continue;
      if (now - statSync(marker).mtimeMs < maxAgeDays * 86_400_000) continue;
      await rm(path.join(this.dir, name), { recursive: true, force: true });
      removed.push(name);
    }
    return removed;
  }

  /**
   * Fill a new entry through `fill(tmpDir)` and publish it atomically. If an entry with the same key
   * already exists (a --no-cache build, or a racing build), the old one is replaced.
   */
  async create(kind: string, key: string, fill: (tmpDir: string) => Promise<void>): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    const tmp = path.join(this.dir, `.tmp-${kind}-${key}-${process.pid}`);
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    try {
      await fill(tmp);
      await writeFile(path.join(tmp, '.complete'), new Date().toISOString() + '\n');
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
    const final = this.entryPath(kind, key);
    if (existsSync(final)) {
      const old = path.join(this.dir, `.old-${kind}-${key}-${process.pid}`);
      await rename(final, old);
      await rename(tmp, final);
      await rm(old, { recursive: true, force: true });
    } else {
      await rename(tmp, final);
    }
    return final;
  }

  /** Remove temporary directories left by builds that were killed (their pid is gone). */
  async removeStale(): Promise<string[]> {
    if (!existsSync(this.dir)) return [];
    const removed: string[] = [];
    for (const name of await readdir(this.dir)) {
      const m = /^\.(tmp|old)-.*-(\d+)$/.exec(name);
      if (!m || pidAlive(Number(m[2]))) continue;
      // A killed mmdebstrap can leave proc/sys mounted in its tree: unmount before removing, and
      // never fail this build over another build's leftovers.
      try {
        await unmountAllBelow(path.join(this.dir, name));
        await rm(path.join(this.dir, name), { recursive: true, force: true });
        removed.push(name);
      } catch (err) {
        log.warn(`cache: cannot remove ${name} left by a killed build: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return removed;
  }

  async readJson<T>(entry: string, file: string): Promise<T> {
    return JSON.parse(await readFile(path.join(entry, file), 'utf8')) as T;
  }
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
