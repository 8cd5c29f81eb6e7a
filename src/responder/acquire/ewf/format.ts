// SPDX-License-Identifier: GPL-3.0-or-later
// The byte layout of EWF-E01 (EnCase 6 style, as libewf's `ewfacquire -f encase6` writes it),
// after libyal's "Expert Witness Compression Format" specification and checked against ewfacquire's
// own output: a 13-byte file header, then sections, each a 76-byte descriptor (type, next offset,
// size, Adler-32) and its data. All integers little-endian.

export const SIGNATURE = Buffer.from([0x45, 0x56, 0x46, 0x09, 0x0d, 0x0a, 0xff, 0x00]); // "EVF\t\r\n\xff\0"
export const DESCRIPTOR = 76;
export const SECTORS_PER_CHUNK = 64;
/** Chunks per sectors/table section: the limit FTK and EnCase 6 readers are known to honour. */
export const MAX_TABLE_ENTRIES = 16375;
export const COMPRESSED = 0x80000000;
export const VOLUME_DATA = 1052;

export type CompressionLevel = 'none' | 'fast' | 'best';
/** zlib levels: "none" still packs all-zero chunks (libewf's empty-block rule); fast and best are libewf's. */
export const ZLIB_LEVEL: Record<CompressionLevel, number> = { none: 0, fast: 1, best: 9 };
const VOLUME_LEVEL: Record<CompressionLevel, number> = { none: 0, fast: 1, best: 2 };

export function adler32(buf: Buffer, start = 0, end = buf.length): number {
  let a = 1;
  let b = 0;
  for (let i = start; i < end; ) {
    const stop = Math.min(end, i + 3800); // 3800 steps cannot overflow before the modulo
    for (; i < stop; i++) {
      a += buf[i]!;
      b += a;
    }
    a %= 65521;
    b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

export function fileHeader(segment: number): Buffer {
  const b = Buffer.alloc(13);
  SIGNATURE.copy(b, 0);
  b[8] = 1;
  b.writeUInt16LE(segment, 9);
  return b;
}

/** A section descriptor. `size` includes the descriptor; libewf writes 0 for "next" and "done". */
export function descriptor(type: string, offset: number, size: number, next = offset + size): Buffer {
  const b = Buffer.alloc(DESCRIPTOR);
  b.write(type, 0, 16, 'latin1');
  b.writeBigUInt64LE(BigInt(next), 16);
  b.writeBigUInt64LE(BigInt(size), 24);
  b.writeUInt32LE(adler32(b, 0, 72), 72);
  return b;
}

/** A whole section: descriptor + data (for the small ones built in memory). */
export function section(type: string, offset: number, data: Buffer): Buffer {
  return Buffer.concat([descriptor(type, offset, DESCRIPTOR + data.length), data]);
}

/** Trailing Adler-32 over everything before it (volume, table header, digest, hash, error2 parts). */
function sealed(b: Buffer): Buffer {
  b.writeUInt32LE(adler32(b, 0, b.length - 4), b.length - 4);
  return b;
}

export interface VolumeInfo {
  chunks: number;
  bytesPerSector: number;
  sectors: number;
  compression: CompressionLevel;
  guid: Buffer;
}

/** "volume" in segment 1 and its copy "data" in every later segment. Media: fixed disk, physical. */
export function volumeData(v: VolumeInfo): Buffer {
  const b = Buffer.alloc(VOLUME_DATA);
  b[0] = 0x01; // media type: fixed
  b.writeUInt32LE(v.chunks, 4);
  b.writeUInt32LE(SECTORS_PER_CHUNK, 8);
  b.writeUInt32LE(v.bytesPerSector, 12);
  b.writeBigUInt64LE(BigInt(v.sectors), 16);
  b[36] = 0x03; // media flags: image, physical (as ewfacquire)
  b[52] = VOLUME_LEVEL[v.compression];
  b.writeUInt32LE(SECTORS_PER_CHUNK, 56); // error granularity
  v.guid.copy(b, 64, 0, 16);
  return sealed(b);
}

/** "table"/"table2": entry offsets are relative to `base` (the sectors section), MSB = compressed. */
export function tableData(base: number, entries: Uint32Array): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(entries.length, 0);
  head.writeBigUInt64LE(BigInt(base), 8);
  sealed(head);
  const body = Buffer.alloc(entries.length * 4 + 4);
  for (let i = 0; i < entries.length; i++) body.writeUInt32LE(entries[i]!, i * 4);
  return Buffer.concat([head, sealed(body)]);
}

export function tableSectionSize(entries: number): number {
  return DESCRIPTOR + 24 + entries * 4 + 4;
}

export function digestData(md5: Buffer, sha1: Buffer): Buffer {
  const b = Buffer.alloc(80);
  md5.copy(b, 0);
  sha1.copy(b, 16);
  return sealed(b);
}

export function hashData(md5: Buffer): Buffer {
  const b = Buffer.alloc(36);
  md5.copy(b, 0);
  return sealed(b);
}

/** "error2": the sector ranges that could not be read (zero-filled in the image). */
export function error2Data(ranges: { sector: number; count: number }[]): Buffer {
  const head = Buffer.alloc(520);
  head.writeUInt32LE(ranges.length, 0);
  sealed(head);
  const body = Buffer.alloc(ranges.length * 8 + 4);
  ranges.forEach((r, i) => {
    body.writeUInt32LE(r.sector, i * 8);
    body.writeUInt32LE(r.count, i * 8 + 4);
  });
  return Buffer.concat([head, sealed(body)]);
}

export function error2SectionSize(ranges: number): number {
  return DESCRIPTOR + 520 + ranges * 8 + 4;
}

/** NAME.E01 … .E99, then .EAA … .EZZ, .FAA … .ZZZ (libewf's naming). */
export function segmentName(base: string, segment: number): string {
  if (segment < 1) throw new RangeError('segment numbers start at 1');
  if (segment <= 99) return `${base}.E${String(segment).padStart(2, '0')}`;
  const n = segment - 100; // 0 -> EAA
  const first = 4 + Math.floor(n / 676); // 'E' is letter 4
  if (first > 25) throw new RangeError('more segments than EWF can name (.ZZZ)');
  const L = (i: number) => String.fromCharCode(65 + i);
  return `${base}.${L(first)}${L(Math.floor(n / 26) % 26)}${L(n % 26)}`;
}
