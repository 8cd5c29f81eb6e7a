// SPDX-License-Identifier: GPL-3.0-or-later
// Paths inside an evidence tree, resolved as if ROOT were "/": a symlink is followed only inside
// ROOT (an absolute target starts again at ROOT, ".." stops at ROOT), so nothing the evidence
// contains can lead a read outside it. Needed because packages ship /bin/ls while a merged-/usr
// system keeps it in /usr/bin (via the /bin -> usr/bin link). Everything is lstat'ed; files are
// opened with O_NOFOLLOW and O_NONBLOCK (a FIFO cannot hang us), and only read, never executed.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import { closeSync, lstatSync, readlinkSync, readSync, statSync, type Stats } from 'node:fs';
import { UsageError } from '../lib/errors.js';
import { makeEvidenceFiles } from './file-hash.js';

const MAX_LINKS = 40;

/** The evidence root given on the command line, checked once: a folder (usually a read-only mount). */
export function openEvidenceRoot(root: string): RootResolver {
  let st;
  try {
    st = statSync(root);
  } catch {
    throw new UsageError(`${root}: no such folder`);
  }
  if (!st.isDirectory()) throw new UsageError(`${root}: not a folder (mount the evidence first: responder mount)`);
  return new RootResolver(root);
}

export class RootResolver {
  private readonly dirs = new Map<string, string | null>();

  /** ROOT with one trailing slash: a canonical relative path is appended as it is (no path.join per file). */
  private readonly prefix: string;

  constructor(readonly root: string) {
    this.prefix = root.endsWith('/') ? root : root + '/';
  }

  /** Host path of a canonical relative path ("usr/bin/ls"). */
  abs(rel: string): string {
    return rel ? this.prefix + rel : this.root;
  }

  lstat(rel: string): Stats | undefined {
    try {
      return lstatSync(this.abs(rel), { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
  }

  /**
   * Canonical relative path of `p` (absolute inside the evidence, e.g. "/bin/ls"): every directory
   * on the way resolved, the last component itself not followed. undefined when a directory on
   * the way is missing or is not a directory.
   */
  locate(p: string): string | undefined {
    const clean = p.replace(/\/+$/, '');
    const slash = clean.lastIndexOf('/');
    const dir = this.resolveDir(clean.slice(0, Math.max(slash, 0)));
    if (dir === undefined) return undefined;
    const base = clean.slice(slash + 1);
    if (base === '' || base === '.') return dir;
    if (base === '..') return dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
    return dir ? `${dir}/${base}` : base;
  }

  /** Canonical relative path of a directory (memoized), following links inside ROOT. */
  resolveDir(p: string): string | undefined {
    const key = p.replace(/^\/+|\/+$/g, '');
    const hit = this.dirs.get(key);
    if (hit !== undefined) return hit ?? undefined;
    const r = this.resolve(key, true, true);
    this.dirs.set(key, r ?? null);
    return r;
  }

  /** Follow `rel` completely (also its last component) inside ROOT; undefined when it dangles. */
  resolveFully(rel: string): string | undefined {
    return this.resolve(rel, true, false);
  }

  private resolve(p: string, followLast: boolean, mustBeDir: boolean): string | undefined {
    const queue = p.split('/').filter((c) => c !== '' && c !== '.');
    const cur: string[] = [];
    let links = 0;
    while (queue.length) {
      const c = queue.shift()!;
      if (c === '..') {
        cur.pop();
        continue;
      }
      const last = queue.length === 0;
      const candidate = [...cur, c].join('/');
      if (last && !followLast) return candidate;
      const st = this.lstat(candidate);
      if (!st) return undefined;
      if (st.isSymbolicLink()) {
        if (++links > MAX_LINKS) return undefined;
        let target: string;
        try {
          target = readlinkSync(this.abs(candidate), 'utf8');
        } catch {
          return undefined;
        }
        if (target.startsWith('/')) cur.length = 0;
        queue.unshift(...target.split('/').filter((x) => x !== '' && x !== '.'));
        continue;
      }
      if ((!last || mustBeDir) && !st.isDirectory()) return undefined;
      cur.push(c);
    }
    return cur.join('/');
  }
}

/** Evidence files: opened without following a symlink, hashed by streaming (file-hash.ts). */
export const { openNoFollow, sha256File } = makeEvidenceFiles(fs, crypto);

/** The first `max` bytes of a file (small configuration files, ELF magic). */
export function readHead(file: string | Buffer, max: number): Buffer {
  const fd = openNoFollow(file);
  try {
    const buf = Buffer.alloc(max);
    let got = 0;
    for (let n; got < max && (n = readSync(fd, buf, got, max - got, null)) > 0; ) got += n;
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

/** A text file of the evidence (at most `max` bytes), or undefined when absent or not a regular file. */
export function readEvidenceText(r: RootResolver, p: string, max = 64 << 20): string | undefined {
  const rel = r.locate(p);
  if (rel === undefined) return undefined;
  const st = r.lstat(rel);
  if (!st?.isFile()) return undefined;
  return readHead(r.abs(rel), Math.min(max, st.size)).toString('utf8');
}
