// SPDX-License-Identifier: GPL-3.0-or-later
// Bounded access to an untrusted ELF file: every read is checked against the real file size and
// a size cap before anything is allocated, strings must end inside their table, and one budget per
// file caps the bytes read and the string bytes kept, whatever the tables claim: tables may point
// many entries at the same bytes (thousands of sections naming one long string), so checking each
// read alone is not enough. A file over budget is malformed, never a process out of memory.
import { escapeName } from '../evidence/escape.js';

/** Random access to the bytes of the file (a file descriptor, or a Buffer in tests). */
export interface ByteSource {
  size: number;
  read(offset: number, length: number): Buffer;
}

export class MalformedElf extends Error {}
export class NotElf extends Error {}

const MAX_STRING = 16_384;
const MAX_TABLE_BYTES = 64 << 20;
/** Bytes read through one Reader: every table once plus generous slack; never the claims times each other. */
const READ_BUDGET_MIN = 64 << 20;
const READ_BUDGET_PER_FILE_BYTE = 4;
/**
 * Bytes of strings (section names, DT_NEEDED, ...) kept per file: the file's size, at least 1 MiB.
 * Real files store each name once (objects built with -ffunction-sections have many), so only
 * tables that point many entries at the same bytes go over it.
 */
export const STRING_BUDGET_MIN = 1 << 20;

export const hex = (v: bigint | number) => '0x' + v.toString(16);

export class Reader {
  private readLeft: number;
  /** Characters of strings still allowed for this file. */
  stringsLeft: number;

  constructor(
    private readonly src: ByteSource,
    readonly le: boolean,
  ) {
    this.readLeft = Math.max(READ_BUDGET_MIN, READ_BUDGET_PER_FILE_BYTE * src.size);
    this.stringsLeft = Math.max(STRING_BUDGET_MIN, src.size);
  }

  get size(): number {
    return this.src.size;
  }

  /** Bytes [off, off+len) of the file, or MalformedElf naming `what` when they are not all there. */
  bytes(off: bigint, len: bigint, what: string): Buffer {
    if (off < 0n || len < 0n || off + len > BigInt(this.src.size)) {
      throw new MalformedElf(`${what} (offset ${hex(off)}, ${len} bytes) extends past the end of the file (${this.src.size} bytes)`);
    }
    if (len > BigInt(MAX_TABLE_BYTES)) throw new MalformedElf(`${what} is implausibly large (${len} bytes)`);
    this.readLeft -= Number(len);
    if (this.readLeft < 0) throw new MalformedElf(`${what}: the file's tables make us read far more than the file holds (over the per-file budget; tables overlap or repeat)`);
    const buf = this.src.read(Number(off), Number(len));
    if (buf.length !== Number(len)) throw new MalformedElf(`${what}: short read`);
    return buf;
  }

  u16(b: Buffer, o: number): number {
    return this.le ? b.readUInt16LE(o) : b.readUInt16BE(o);
  }
  u32(b: Buffer, o: number): number {
    return this.le ? b.readUInt32LE(o) : b.readUInt32BE(o);
  }
  u64(b: Buffer, o: number): bigint {
    return this.le ? b.readBigUInt64LE(o) : b.readBigUInt64BE(o);
  }
  i32(b: Buffer, o: number): number {
    return this.le ? b.readInt32LE(o) : b.readInt32BE(o);
  }
  i64(b: Buffer, o: number): bigint {
    return this.le ? b.readBigInt64LE(o) : b.readBigInt64BE(o);
  }
}

/**
 * A NUL-terminated string at `start` inside a table of `tableSize` bytes at file offset `tableOff`.
 * Read in growing pieces (64 bytes first), so a table full of references to one long string costs
 * what the strings are, not MAX_STRING per reference; and charged to the file's string budget.
 */
export function readString(r: Reader, tableOff: bigint, tableSize: bigint, start: bigint, what: string): string {
  if (start < 0n || start >= tableSize) throw new MalformedElf(`${what}: string offset ${hex(start)} is outside its string table (${tableSize} bytes)`);
  const avail = tableSize - start;
  const max = avail < BigInt(MAX_STRING) ? Number(avail) : MAX_STRING;
  let len = Math.min(64, max);
  for (;;) {
    const buf = r.bytes(tableOff + start, BigInt(len), `${what} string`);
    const nul = buf.indexOf(0);
    if (nul >= 0) {
      r.stringsLeft -= nul;
      if (r.stringsLeft < 0) throw new MalformedElf(`${what}: more bytes of strings than the file holds (names repeated or overlapping; over the per-file budget)`);
      // Escaped like body-file names: control bytes and invalid UTF-8 cannot reach a terminal or report raw.
      return escapeName(buf.subarray(0, nul));
    }
    if (len >= max) throw new MalformedElf(`${what}: string at ${hex(start)} is not NUL-terminated within ${len} bytes`);
    len = Math.min(len * 4, max);
  }
}

export function overlaps(a0: bigint, a1: bigint, b0: bigint, b1: bigint): boolean {
  return a0 < b1 && b0 < a1 && a1 > a0 && b1 > b0;
}
