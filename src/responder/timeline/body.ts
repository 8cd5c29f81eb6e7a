// SPDX-License-Identifier: GPL-3.0-or-later
// The Sleuth Kit 3.x body file: MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime
// (one line per file, times in Unix seconds, MD5 "0" when not hashed), as `fls -r -m /` writes it.
//
// Names are escaped by evidence/escape.ts (reversible; ordinary names are written as fls does).
export { escapeName, unescapeName } from '../evidence/escape.js';

// File type letters as TSK prints them (tsk_fs_name_type_str / tsk_fs_meta_type_str).
const S_IFMT = 0o170000;
const TYPE_LETTER: Record<number, string> = {
  0o100000: 'r',
  0o040000: 'd',
  0o120000: 'l',
  0o010000: 'p',
  0o020000: 'c',
  0o060000: 'b',
  0o140000: 's',
};

/**
 * TSK's mode string for st_mode: "<name type>/<meta type><rwx x3>", e.g. "r/rrw-r--r--",
 * "d/drwxr-xr-x", "l/lrwxrwxrwx". On a mounted tree both types come from lstat, so they agree.
 * setuid/setgid show as s/S, sticky as t/T, like ls and TSK's tsk_fs_meta_make_ls.
 */
export function modeString(mode: number): string {
  const t = TYPE_LETTER[mode & S_IFMT] ?? '-';
  const p = ['-', '-', '-', '-', '-', '-', '-', '-', '-'];
  const bits = 'rwxrwxrwx';
  for (let k = 0; k < 9; k++) if (mode & (0o400 >> k)) p[k] = bits[k]!;
  if (mode & 0o4000) p[2] = mode & 0o100 ? 's' : 'S';
  if (mode & 0o2000) p[5] = mode & 0o010 ? 's' : 'S';
  if (mode & 0o1000) p[8] = mode & 0o001 ? 't' : 'T';
  return `${t}/${t}${p.join('')}`;
}

/** One body-file record; name is already escaped (and includes " -> target" for symlinks). */
export interface BodyRecord {
  md5: string;
  name: string;
  inode: string;
  mode: string;
  uid: number;
  gid: number;
  size: number;
  atime: number;
  mtime: number;
  ctime: number;
  crtime: number;
}

export function formatBodyLine(r: BodyRecord): string {
  return `${r.md5}|${r.name}|${r.inode}|${r.mode}|${r.uid}|${r.gid}|${r.size}|${r.atime}|${r.mtime}|${r.ctime}|${r.crtime}`;
}

/**
 * Parse one body line, ours or another tool's. The last nine fields have fixed meaning, so a name
 * with unescaped "|" (as fls writes it) is still read correctly by joining the middle fields.
 * Returns undefined for a line that is not a body record.
 */
export function parseBodyLine(line: string): BodyRecord | undefined {
  const f = line.split('|');
  if (f.length < 11) return undefined;
  const n = f.length;
  const nums = f.slice(n - 9);
  const [inode, mode, uid, gid, size, atime, mtime, ctime, crtime] = nums as [string, string, string, string, string, string, string, string, string];
  const toInt = (s: string) => (/^-?\d+$/.test(s) ? Number(s) : NaN);
  const rec: BodyRecord = {
    md5: f[0]!,
    name: f.slice(1, n - 9).join('|'),
    inode,
    mode,
    uid: toInt(uid),
    gid: toInt(gid),
    size: toInt(size),
    atime: toInt(atime),
    mtime: toInt(mtime),
    ctime: toInt(ctime),
    crtime: toInt(crtime),
  };
  if ([rec.size, rec.atime, rec.mtime, rec.ctime, rec.crtime].some((v) => Number.isNaN(v))) return undefined;
  return rec;
}

/** Whole seconds (floor) from nanoseconds, as TSK writes them. */
export function nsToSeconds(ns: bigint): number {
  const s = ns / 1_000_000_000n;
  return Number(ns < 0n && ns % 1_000_000_000n !== 0n ? s - 1n : s);
}
