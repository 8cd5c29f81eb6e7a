// SPDX-License-Identifier: GPL-3.0-or-later
// The Sleuth Kit 3.x body file: MD5|name|inode|mode_as_string|UID|GID|size|atime|mtime|ctime|crtime
// (one line per file, times in Unix seconds, MD5 "0" when not hashed), as `fls -r -m /` writes it.
//
// Name escaping. fls writes names raw except that bytes below 0x20 become "^": a "|" in a name
// shifts every later field, invalid UTF-8 goes through as is, and the "^" replacement is lossy.
// We need every line to have exactly 11 fields, be valid UTF-8, and still name the file exactly, so
// names are escaped reversibly:
//   "\"                                  -> "\\"
//   "|", bytes 0x00-0x1f and 0x7f          -> "\xHH" (lowercase hex)
//   each byte of invalid UTF-8             -> "\xHH"
//   C1 controls (U+0080-U+009F) and bidi overrides/isolates (U+202A-U+202E, U+2066-U+2069),
//   which can hide or reorder text on a terminal or in a report -> "\xHH" for each UTF-8 byte.
// Everything else (printable ASCII, valid UTF-8) is written unchanged, so ordinary names are the
// same as fls's. unescapeName() gives the original bytes back.

/** Escape a file name (raw bytes, as read from the directory) for a body file. */
export function escapeName(name: Buffer): string {
  let out = '';
  let plainStart = 0; // start of a run of bytes that are copied through unchanged
  let i = 0;
  const flush = (end: number) => {
    if (end > plainStart) out += name.toString('utf8', plainStart, end);
  };
  const escapeBytes = (start: number, end: number) => {
    for (let j = start; j < end; j++) out += '\\x' + name[j]!.toString(16).padStart(2, '0');
  };
  while (i < name.length) {
    const b = name[i]!;
    if (b < 0x80) {
      if (b < 0x20 || b === 0x7f || b === 0x7c /* | */ || b === 0x5c /* \ */) {
        flush(i);
        if (b === 0x5c) out += '\\\\';
        else escapeBytes(i, i + 1);
        plainStart = i + 1;
      }
      i++;
      continue;
    }
    const len = utf8SequenceLength(name, i);
    if (len === 0) {
      flush(i);
      escapeBytes(i, i + 1);
      i++;
      plainStart = i;
      continue;
    }
    const cp = decodeCodePoint(name, i, len);
    if ((cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069)) {
      flush(i);
      escapeBytes(i, i + len);
      plainStart = i + len;
    }
    i += len;
  }
  flush(name.length);
  return out;
}

/** The bytes an escaped name stands for (the inverse of escapeName). */
export function unescapeName(escaped: string): Buffer {
  const parts: Buffer[] = [];
  let plainStart = 0;
  let i = 0;
  while (i < escaped.length) {
    if (escaped[i] !== '\\') {
      i++;
      continue;
    }
    if (i > plainStart) parts.push(Buffer.from(escaped.slice(plainStart, i), 'utf8'));
    if (escaped[i + 1] === '\\') {
      parts.push(Buffer.from('\\'));
      i += 2;
    } else if (escaped[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(escaped.slice(i + 2, i + 4))) {
      parts.push(Buffer.from([parseInt(escaped.slice(i + 2, i + 4), 16)]));
      i += 4;
    } else {
      parts.push(Buffer.from('\\')); // a lone backslash (not written by us): keep it
      i += 1;
    }
    plainStart = i;
  }
  if (plainStart < escaped.length) parts.push(Buffer.from(escaped.slice(plainStart), 'utf8'));
  return Buffer.concat(parts);
}

/** Length of the well-formed UTF-8 sequence at buf[i] (2-4), or 0 when it is not one (RFC 3629). */
function utf8SequenceLength(buf: Buffer, i: number): number {
  const b0 = buf[i]!;
  let len: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) len = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3;
    if (b0 === 0xe0) lo = 0xa0; // overlong
    if (b0 === 0xed) hi = 0x9f; // UTF-16 surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4;
    if (b0 === 0xf0) lo = 0x90; // overlong
    if (b0 === 0xf4) hi = 0x8f; // above U+10FFFF
  } else return 0;
  if (i + len > buf.length) return 0;
  const b1 = buf[i + 1]!;
  if (b1 < lo || b1 > hi) return 0;
  for (let k = 2; k < len; k++) {
    const b = buf[i + k]!;
    if (b < 0x80 || b > 0xbf) return 0;
  }
  return len;
}

function decodeCodePoint(buf: Buffer, i: number, len: number): number {
  const b0 = buf[i]!;
  let cp = len === 2 ? b0 & 0x1f : len === 3 ? b0 & 0x0f : b0 & 0x07;
  for (let k = 1; k < len; k++) cp = (cp << 6) | (buf[i + k]! & 0x3f);
  return cp;
}

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
