// SPDX-License-Identifier: GPL-3.0-or-later
// One body record per entry of a mounted (read-only) evidence tree, streaming, from the evidence
// walker (evidence/walk.ts), whose rules are fls's:
// never follows a symlink, does not enter other file systems (reported), depth-first pre-order
// sorted by bytes like fls -r, names as Buffers until they are escaped.
import type { BigIntStats } from 'node:fs';
import { escapeName } from '../evidence/escape.js';
import { walkEvidence, type WalkProblem } from '../evidence/walk.js';
import { modeString, nsToSeconds, type BodyRecord } from './body.js';

export type { WalkProblem } from '../evidence/walk.js';

export interface WalkOptions {
  /** Prefix for names in the body file, like fls -m (default "/"). */
  mountPoint?: string;
  onRecord(rec: BodyRecord): void;
  onProblem?(p: WalkProblem): void;
}

const SLASH = Buffer.from('/');

/** Body record for one lstat result. Exported for tests. */
export function recordFor(displayName: Buffer, st: BigIntStats, linkTarget?: Buffer): BodyRecord {
  let name = escapeName(displayName);
  if (linkTarget !== undefined) name += ' -> ' + escapeName(linkTarget);
  // statx birth time when the kernel and file system give one; libuv reports 0 otherwise.
  const crtime = st.birthtimeNs > 0n ? nsToSeconds(st.birthtimeNs) : 0;
  return {
    md5: '0',
    name,
    inode: st.ino.toString(),
    mode: modeString(Number(st.mode)),
    uid: Number(st.uid),
    gid: Number(st.gid),
    size: Number(st.size),
    atime: nsToSeconds(st.atimeNs),
    mtime: nsToSeconds(st.mtimeNs),
    ctime: nsToSeconds(st.ctimeNs),
    crtime,
  };
}

/** Walk ROOT; returns the number of records. ROOT itself must be a directory (checked by the caller). */
export function walkTree(root: string, opts: WalkOptions): number {
  const prefix = Buffer.from((opts.mountPoint ?? '/').replace(/\/+$/, ''));
  return walkEvidence(root, {
    readLinks: true,
    onEntry(e) {
      opts.onRecord(recordFor(Buffer.concat([prefix, SLASH, e.rel]), e.stat, e.linkTarget));
    },
    onProblem(p) {
      opts.onProblem?.(p);
    },
  }).entries;
}
