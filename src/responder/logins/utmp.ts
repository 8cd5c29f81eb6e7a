// SPDX-License-Identifier: GPL-3.0-or-later
// utmp/wtmp/btmp records (glibc x86_64: struct utmp, 384 bytes, little-endian) and lastlog
// records (struct lastlog, 292 bytes, indexed by uid). Parsed from bytes, never by running `last`
// from the evidence: every field is bounded by its struct size and every string is kept as bytes
// up to its first NUL, escaped later.
export const UTMP_SIZE = 384;
export const LASTLOG_SIZE = 292;

/** ut_type values (utmp.h). */
export const UT = {
  EMPTY: 0,
  RUN_LVL: 1,
  BOOT_TIME: 2,
  NEW_TIME: 3,
  OLD_TIME: 4,
  INIT_PROCESS: 5,
  LOGIN_PROCESS: 6,
  USER_PROCESS: 7,
  DEAD_PROCESS: 8,
  ACCOUNTING: 9,
} as const;

export interface UtmpRecord {
  /** Index of the record in its file (0-based). */
  index: number;
  type: number;
  pid: number;
  line: Buffer;
  id: Buffer;
  user: Buffer;
  host: Buffer;
  /** Seconds since the epoch (ut_tv.tv_sec, a signed 32-bit field on x86_64 glibc). */
  sec: number;
  usec: number;
  /** ut_addr_v6 as text: IPv4 when only the first word is set, else IPv6; "" when zero. */
  addr: string;
}

function cstr(buf: Buffer, start: number, len: number): Buffer {
  const field = buf.subarray(start, start + len);
  const nul = field.indexOf(0);
  return Buffer.from(nul === -1 ? field : field.subarray(0, nul));
}

function addrText(buf: Buffer, off: number): string {
  const words = [0, 1, 2, 3].map((k) => buf.readUInt32LE(off + 4 * k));
  if (words.every((w) => w === 0)) return '';
  if (words[1] === 0 && words[2] === 0 && words[3] === 0) return [0, 1, 2, 3].map((k) => buf[off + k]).join('.');
  const groups: string[] = [];
  for (let k = 0; k < 16; k += 2) groups.push(buf.readUInt16BE(off + k).toString(16));
  return groups.join(':');
}

/** One 384-byte record at buf[off]. */
export function parseUtmpRecord(buf: Buffer, off: number, index: number): UtmpRecord {
  return {
    index,
    type: buf.readInt16LE(off),
    pid: buf.readInt32LE(off + 4),
    line: cstr(buf, off + 8, 32),
    id: cstr(buf, off + 40, 4),
    user: cstr(buf, off + 44, 32),
    host: cstr(buf, off + 76, 256),
    sec: buf.readInt32LE(off + 340),
    usec: buf.readInt32LE(off + 344),
    addr: addrText(buf, off + 348),
  };
}

/** All whole records in buf; `trailing` is the number of bytes after the last whole record (a truncated file). */
export function parseUtmp(buf: Buffer): { records: UtmpRecord[]; trailing: number } {
  const records: UtmpRecord[] = [];
  const whole = Math.floor(buf.length / UTMP_SIZE);
  for (let i = 0; i < whole; i++) records.push(parseUtmpRecord(buf, i * UTMP_SIZE, i));
  return { records, trailing: buf.length - whole * UTMP_SIZE };
}

export interface LastlogRecord {
  uid: number;
  sec: number;
  line: Buffer;
  host: Buffer;
}

/** The lastlog entry at slot `uid` in buf (which starts at that slot), or undefined when never logged in. */
export function parseLastlogRecord(buf: Buffer, off: number, uid: number): LastlogRecord | undefined {
  if (off + LASTLOG_SIZE > buf.length) return undefined;
  const sec = buf.readInt32LE(off);
  if (sec === 0) return undefined;
  return { uid, sec, line: cstr(buf, off + 4, 32), host: cstr(buf, off + 36, 256) };
}
