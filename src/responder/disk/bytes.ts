// SPDX-License-Identifier: GPL-3.0-or-later
// Small decoders shared by the on-disk parsers: bounds-checked integers, UUID and label formats
// written the way blkid prints them, so our output can be compared with blkid's line for line.

/** Unsigned little-endian integer, or undefined when the buffer is too short (a truncated image). */
export function u16(b: Buffer, off: number): number | undefined {
  return off + 2 <= b.length ? b.readUInt16LE(off) : undefined;
}
export function u32(b: Buffer, off: number): number | undefined {
  return off + 4 <= b.length ? b.readUInt32LE(off) : undefined;
}
export function u64(b: Buffer, off: number): number | undefined {
  return off + 8 <= b.length ? Number(b.readBigUInt64LE(off)) : undefined;
}
export function be32(b: Buffer, off: number): number | undefined {
  return off + 4 <= b.length ? b.readUInt32BE(off) : undefined;
}
export function be64(b: Buffer, off: number): number | undefined {
  return off + 8 <= b.length ? Number(b.readBigUInt64BE(off)) : undefined;
}

export function ascii(b: Buffer, off: number, len: number): string {
  return b.subarray(off, off + len).toString('latin1');
}

/** True when `magic` is at `off` (false when the buffer is too short). */
export function hasMagic(b: Buffer, off: number, magic: string | Buffer): boolean {
  const m = typeof magic === 'string' ? Buffer.from(magic, 'latin1') : magic;
  return off + m.length <= b.length && b.subarray(off, off + m.length).equals(m);
}

/** 16 raw bytes as 8-4-4-4-12 lowercase hex (ext, XFS, btrfs, md, APFS). Undefined when all zero. */
export function uuidString(b: Buffer, off: number): string | undefined {
  if (off + 16 > b.length) return undefined;
  const raw = b.subarray(off, off + 16);
  if (raw.every((x) => x === 0)) return undefined;
  const h = raw.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A GPT/Microsoft GUID: the first three fields are little-endian. Upper-case hex like sgdisk. */
export function guidString(b: Buffer, off: number): string {
  const r = b.subarray(off, off + 16);
  const le = (s: number, e: number) => Buffer.from(r.subarray(s, e)).reverse().toString('hex');
  return `${le(0, 4)}-${le(4, 6)}-${le(6, 8)}-${r.subarray(8, 10).toString('hex')}-${r.subarray(10, 16).toString('hex')}`.toUpperCase();
}

/** A fixed-size, NUL-padded UTF-8 label field; undefined when empty. */
export function cLabel(b: Buffer, off: number, len: number): string | undefined {
  const field = b.subarray(off, off + len);
  const end = field.indexOf(0);
  const s = field.subarray(0, end < 0 ? field.length : end).toString('utf8');
  return s.length ? s : undefined;
}

/** A space-padded label (FAT, ISO 9660); undefined when blank. */
export function paddedLabel(b: Buffer, off: number, len: number): string | undefined {
  const s = b
    .subarray(off, off + len)
    .toString('latin1')
    .replace(/\0+$/, '')
    .replace(/ +$/, '');
  return s.length ? s : undefined;
}

/** UTF-16LE text (NTFS, exFAT names). */
export function utf16(b: Buffer, off: number, chars: number): string {
  return b.subarray(off, off + chars * 2).toString('utf16le');
}

export function isPowerOfTwo(n: number): boolean {
  return n > 0 && (n & (n - 1)) === 0;
}
