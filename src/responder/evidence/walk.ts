// SPDX-License-Identifier: GPL-3.0-or-later
// The one walk of an evidence tree, used by every command that lists evidence (timeline, sweep,
// verify's unowned scan, report's case folder):
//
// - Names are Buffers end to end (readdir with encoding "buffer", Buffer paths for lstat/open), so
//   a name that is not valid UTF-8 is looked at like any other and shown escaped (escape.ts).
// - Never follows a symlink: everything is lstat'ed and only real directories are entered, so a
//   hostile tree cannot loop or lead the walk out of ROOT. Link targets are read, never resolved.
// - Stays on ROOT's file system unless asked: a directory that is another mount is reported and
//   not entered.
// - Paths longer than PATH_MAX: Node has no openat(), so when the path of a directory grows past
//   ANCHOR_AT bytes the directory is opened (O_DIRECTORY|O_NOFOLLOW, checked to be the same inode)
//   and what lies below it is reached as /proc/self/fd/N/<relative path>. Every path handed to the
//   kernel stays short, whatever the depth.
// - Memory is the names of the directories on the current path (depth-first, pre-order, sorted by
//   bytes like fls -r, so two runs give the same order), not the tree.
// - Everything it cannot look at is reported as a WalkProblem (unreadable, vanished, another file
//   system, too deep, path too long), never skipped in silence.
// Synchronous calls: one walker, nothing to gain from concurrency, far less overhead per entry.
import { closeSync, constants, existsSync, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, statSync, type BigIntStats } from 'node:fs';
import { escapeName } from './escape.js';

export type WalkProblemKind = 'unreadable' | 'vanished' | 'other-file-system' | 'too-deep' | 'path-too-long';

export interface WalkProblem {
  kind: WalkProblemKind;
  /** "/" + the escaped path inside ROOT. */
  path: string;
  message: string;
}

export interface WalkEntry {
  /** Path relative to ROOT, no leading slash ("usr/bin/ls"), raw bytes. */
  rel: Buffer;
  name: Buffer;
  /** 1 for the entries of the start folder. */
  depth: number;
  stat: BigIntStats;
  /** A path that reaches the entry now (ROOT/..., or /proc/self/fd/N/... below long paths); valid during the callback. */
  access: Buffer;
  /** The symlink's target as stored (never followed), when `readLinks` is set. */
  linkTarget?: Buffer;
}

export interface WalkOptions {
  /** Folder inside ROOT to walk, relative and canonical ("usr/bin"); default ROOT itself. */
  start?: string | Buffer;
  /** Enter directories that are other file systems (default: no, reported as a problem). */
  crossFileSystems?: boolean;
  /** Deepest level entered (default 4096); a directory below is reported as too deep. */
  maxDepth?: number;
  readLinks?: boolean;
  /** Return false to list a directory without entering it (a choice of the caller, not a problem). */
  enter?(e: WalkEntry): boolean;
  onEntry(e: WalkEntry): void;
  onProblem(p: WalkProblem): void;
  /** Tests: called after a directory is listed, before its entries are lstat'ed. */
  afterList?(dirAccess: Buffer, names: Buffer[]): void;
}

export interface WalkSummary {
  entries: number;
  problems: number;
}

interface Frame {
  access: Buffer;
  rel: Buffer;
  depth: number;
  names: Buffer[];
  next: number;
  /** Open directory this frame's access path goes through (closed when the frame is done). */
  anchorFd?: number;
}

const SLASH = Buffer.from('/');
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
/** Re-anchor below this many bytes, so access + "/" + a 255-byte name stays under PATH_MAX (4096). */
export const ANCHOR_AT = 3072;
const DIR_FLAGS = constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

function errText(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e?.code ? e.code + (e.code === 'EACCES' ? ' (permission denied)' : '') : String(e?.message ?? err);
}

/** "/" + escaped path, as shown in every command's output. */
export function shownPath(rel: Buffer): string {
  return '/' + escapeName(rel);
}

const join = (a: Buffer, b: Buffer) => (a.length ? Buffer.concat([a, SLASH, b]) : b);

/** Walk ROOT (or `start` below it); ROOT must be a directory (checked by the caller). */
export function walkEvidence(root: string, opts: WalkOptions): WalkSummary {
  const rootDev = statSync(root, { bigint: true }).dev; // stat: ROOT itself may be given through a symlink
  const maxDepth = opts.maxDepth ?? 4096;
  const summary: WalkSummary = { entries: 0, problems: 0 };
  const problem = (kind: WalkProblemKind, rel: Buffer, message: string) => {
    summary.problems++;
    opts.onProblem({ kind, path: shownPath(rel), message });
  };
  const startRel = typeof opts.start === 'string' ? Buffer.from(opts.start.replace(/^\/+|\/+$/g, '')) : (opts.start ?? Buffer.alloc(0));
  const rootBuf = Buffer.from(root.replace(/\/+$/, '') || '/');
  const startAccess = startRel.length ? Buffer.concat([rootBuf.equals(SLASH) ? Buffer.alloc(0) : rootBuf, SLASH, startRel]) : rootBuf;
  const stack: Frame[] = [];
  const list = (access: Buffer, rel: Buffer): Buffer[] | undefined => {
    try {
      const names = (readdirSync(access, { encoding: 'buffer' }) as Buffer[]).sort(Buffer.compare);
      opts.afterList?.(access, names);
      return names;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') problem('vanished', rel, 'folder vanished before it could be listed (tree not mounted read-only?)');
      else problem('unreadable', rel, `cannot list folder: ${errText(err)}`);
      return undefined;
    }
  };
  const names = list(startAccess, startRel);
  if (!names) return summary;
  stack.push({ access: startAccess, rel: startRel, depth: 0, names, next: 0 });
  const procFd = existsSync('/proc/self/fd');

  try {
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next >= top.names.length) {
        stack.pop();
        if (top.anchorFd !== undefined) closeSync(top.anchorFd);
        continue;
      }
      const name = top.names[top.next++]!;
      const access = Buffer.concat([top.access, SLASH, name]);
      const rel = join(top.rel, name);
      let st: BigIntStats | undefined;
      try {
        st = lstatSync(access, { bigint: true, throwIfNoEntry: false });
      } catch (err) {
        problem('unreadable', rel, `lstat: ${errText(err)}`);
        continue;
      }
      if (!st) {
        problem('vanished', rel, 'vanished between listing its folder and looking at it (tree not mounted read-only?)');
        continue;
      }
      const type = Number(st.mode) & S_IFMT;
      const entry: WalkEntry = { rel, name, depth: top.depth + 1, stat: st, access };
      if (type === S_IFLNK && opts.readLinks) {
        try {
          entry.linkTarget = readlinkSync(access, { encoding: 'buffer' });
        } catch (err) {
          problem('unreadable', rel, `readlink: ${errText(err)}`);
          entry.linkTarget = Buffer.alloc(0);
        }
      }
      summary.entries++;
      opts.onEntry(entry);
      if (type !== S_IFDIR || (opts.enter && !opts.enter(entry))) continue;
      if (st.dev !== rootDev && !opts.crossFileSystems) {
        problem('other-file-system', rel, 'another file system is mounted here: not entered (mount and examine it separately)');
        continue;
      }
      if (entry.depth >= maxDepth) {
        problem('too-deep', rel, `deeper than ${maxDepth} levels: not entered`);
        continue;
      }
      const frame = enterDir(access, rel, entry.depth, st, procFd, problem);
      if (!frame) continue;
      const childNames = list(frame.access, rel);
      if (!childNames) {
        if (frame.anchorFd !== undefined) closeSync(frame.anchorFd);
        continue;
      }
      frame.names = childNames;
      stack.push(frame);
    }
  } finally {
    for (const f of stack) if (f.anchorFd !== undefined) closeSync(f.anchorFd);
  }
  return summary;
}

/** The frame for a directory about to be listed; below ANCHOR_AT bytes the path is used as it is. */
function enterDir(access: Buffer, rel: Buffer, depth: number, st: BigIntStats, procFd: boolean, problem: (k: WalkProblemKind, rel: Buffer, m: string) => void): Frame | undefined {
  if (access.length <= ANCHOR_AT) return { access, rel, depth, names: [], next: 0 };
  if (!procFd) {
    problem('path-too-long', rel, 'path longer than the walker can reach without /proc/self/fd: not entered');
    return undefined;
  }
  let fd: number;
  try {
    fd = openSync(access, DIR_FLAGS);
  } catch (err) {
    problem('unreadable', rel, `cannot open folder: ${errText(err)}`);
    return undefined;
  }
  const now = fstatSync(fd, { bigint: true });
  if (now.dev !== st.dev || now.ino !== st.ino) {
    closeSync(fd);
    problem('vanished', rel, 'folder replaced while it was being walked (tree not mounted read-only?)');
    return undefined;
  }
  return { access: Buffer.from(`/proc/self/fd/${fd}`), rel, depth, names: [], next: 0, anchorFd: fd };
}

/** The raw path as a string when it is valid UTF-8 (so string-keyed tables can match it), else undefined. */
export function utf8Exact(rel: Buffer): string | undefined {
  const s = rel.toString('utf8');
  return Buffer.byteLength(s) === rel.length && Buffer.from(s, 'utf8').equals(rel) ? s : undefined;
}

export const isDir = (st: BigIntStats) => (Number(st.mode) & S_IFMT) === S_IFDIR;
export const isLink = (st: BigIntStats) => (Number(st.mode) & S_IFMT) === S_IFLNK;
