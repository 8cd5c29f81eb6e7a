// SPDX-License-Identifier: GPL-3.0-or-later
// Bounded access to an untrusted ELF file: every read is checked against the real file size and
// a size cap before anything is allocated, and strings must end inside their table.
import { escapeName } from '../timeline/body.js';

/** Random access to the bytes of the file (a file descriptor, or a Buffer in tests). */
export interface ByteSource {
  size: number;
  read(offset: number, length: number): Buffer;
}

export class MalformedElf extends Error {}
export class NotElf extends Error {}

const MAX_STRING = 16_384;
const MAX_TABLE_BYTES = 64 << 20;

export const hex = (v: bigint | number) => '0x' + v.toString(16);

export class Reader {
  constructor(
    private readonly src: ByteSource,
    readonly le: boolean,
  ) {}

  get size(): number {
    return this.src.size;
  }

  /** Bytes [off, off+len) of the file, or MalformedElf naming `what` when they are not all there. */
  bytes(off: bigint, len: bigint, what: string): Buffer {
    if (off < 0n || len < 0n || off + len > BigInt(this.src.size)) {
      throw new MalformedElf(`${what} (offset ${hex(off)}, ${len} bytes) extends past the end of the file (${this.src.size} bytes)`);
    }
    if (len > BigInt(MAX_TABLE_BYTES)) throw new MalformedElf(`${what} is implausibly large (${len} bytes)`);
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

/** A NUL-terminated string at `start` inside a table of `tableSize` bytes at file offset `tableOff`. */
export function readString(r: Reader, tableOff: bigint, tableSize: bigint, start: bigint, what: string): string {
  if (start < 0n || start >= tableSize) throw new MalformedElf(`${what}: string offset ${hex(start)} is outside its string table (${tableSize} bytes)`);
  const avail = tableSize - start;
  const len = avail < BigInt(MAX_STRING) ? avail : BigInt(MAX_STRING);
  const buf = r.bytes(tableOff + start, len, `${what} string`);
  const nul = buf.indexOf(0);
  if (nul < 0) throw new MalformedElf(`${what}: string at ${hex(start)} is not NUL-terminated within ${len} bytes`);
  // Escaped like body-file names: control bytes and invalid UTF-8 cannot reach a terminal or report raw.
  return escapeName(buf.subarray(0, nul));
}

export function overlaps(a0: bigint, a1: bigint, b0: bigint, b1: bigint): boolean {
  return a0 < b1 && b0 < a1 && a1 > a0 && b1 > b0;
}

