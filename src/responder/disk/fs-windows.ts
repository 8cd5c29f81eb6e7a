// SPDX-License-Identifier: GPL-3.0-or-later
// Boot-sector parsers for Microsoft formats: FAT12/16/32 ("vfat"), NTFS, exFAT and BitLocker.
// Labels are read where Windows and blkid read them: the FAT root directory's volume-label entry
// (before the boot sector's copy), NTFS's $Volume record, exFAT's root directory.
import type { BlockReader } from './reader.js';
import type { FsSignature } from './signature.js';
import { hasMagic, isPowerOfTwo, paddedLabel, u16, u32, u64, utf16 } from './bytes.js';

export function probeBitlocker(r: BlockReader): FsSignature | undefined {
  const bs = r.read(0, 512);
  return hasMagic(bs, 3, '-FVE-FS-') || (hasMagic(bs, 3, 'MSWIN4.1') && hasMagic(bs, 0xa0, '-FVE-FS-')) ? { type: 'BitLocker' } : undefined;
}

export function probeNtfs(r: BlockReader): FsSignature | undefined {
  const bs = r.read(0, 512);
  if (!hasMagic(bs, 3, 'NTFS    ')) return undefined;
  const bps = u16(bs, 0x0b) ?? 0;
  const spc = bs[0x0d] ?? 0;
  if (!isPowerOfTwo(bps) || bps < 256 || bps > 4096 || spc === 0) return undefined;
  // Sectors per cluster above 128 are stored as a negative shift (2^-n) by newer formatters.
  const clusterSize = spc <= 0x80 ? spc * bps : 2 ** (256 - spc) * bps;
  const rawRec = bs.readInt8(0x40);
  const recordSize = rawRec > 0 ? rawRec * clusterSize : 2 ** -rawRec;
  const serial = u64(bs, 0x48);
  const sig: FsSignature = {
    type: 'ntfs',
    uuid: serial === undefined ? undefined : Buffer.from(bs.subarray(0x48, 0x50)).reverse().toString('hex').toUpperCase(),
    blockSize: clusterSize,
    fsSize: (u64(bs, 0x28) ?? 0) * bps,
  };
  const mftLcn = u64(bs, 0x30) ?? 0;
  if (recordSize >= 1024 && recordSize <= 65536) sig.label = ntfsVolumeName(r, mftLcn * clusterSize + 3 * recordSize, recordSize, bps);
  return sig;
}

/** $Volume is MFT record 3; its $VOLUME_NAME attribute (0x60) holds the label in UTF-16LE. */
function ntfsVolumeName(r: BlockReader, offset: number, recordSize: number, bps: number): string | undefined {
  const rec = Buffer.from(r.read(offset, recordSize));
  if (rec.length < recordSize || !hasMagic(rec, 0, 'FILE')) return undefined;
  // Undo the update-sequence fixups: the last two bytes of each sector were swapped out on write.
  const usaOff = u16(rec, 4) ?? 0;
  const usaCount = u16(rec, 6) ?? 0;
  const stride = Math.min(bps, 512);
  for (let i = 1; i < usaCount; i++) {
    const end = i * stride - 2;
    if (usaOff + i * 2 + 2 > rec.length || end + 2 > rec.length) break;
    rec[end] = rec[usaOff + i * 2]!;
    rec[end + 1] = rec[usaOff + i * 2 + 1]!;
  }
  let p = u16(rec, 0x14) ?? rec.length;
  // Bounded walk: every attribute must move forward, so a hostile record cannot loop.
  while (p + 16 <= rec.length) {
    const type = u32(rec, p)!;
    const len = u32(rec, p + 4) ?? 0;
    if (type === 0xffffffff || len < 16 || p + len > rec.length) break;
    if (type === 0x60 && rec[p + 8] === 0) {
      const vlen = u32(rec, p + 0x10) ?? 0;
      const voff = u16(rec, p + 0x14) ?? 0;
      if (p + voff + vlen > rec.length) return undefined;
      const name = utf16(rec, p + voff, Math.floor(vlen / 2));
      return name.length ? name : undefined;
    }
    p += len;
  }
  return undefined;
}

export function probeExfat(r: BlockReader): FsSignature | undefined {
  const bs = r.read(0, 512);
  if (!hasMagic(bs, 3, 'EXFAT   ')) return undefined;
  const bpsShift = bs[0x6c] ?? 0;
  const spcShift = bs[0x6d] ?? 0;
  if (bpsShift < 9 || bpsShift > 12 || spcShift > 25 - bpsShift) return undefined;
  const bps = 2 ** bpsShift;
  const clusterSize = bps * 2 ** spcShift;
  const serial = u32(bs, 0x64) ?? 0;
  const hex = serial.toString(16).toUpperCase().padStart(8, '0');
  const sig: FsSignature = { type: 'exfat', uuid: `${hex.slice(0, 4)}-${hex.slice(4)}`, blockSize: clusterSize, fsSize: (u64(bs, 0x48) ?? 0) * bps, version: `${bs[0x69]}.${bs[0x68]}` };
  const heap = (u32(bs, 0x58) ?? 0) * bps;
  const rootCluster = u32(bs, 0x60) ?? 0;
  if (rootCluster >= 2) {
    const dir = r.read(heap + (rootCluster - 2) * clusterSize, Math.min(clusterSize, 65536));
    for (let o = 0; o + 32 <= dir.length; o += 32) {
      const t = dir[o]!;
      if (t === 0) break; // end of directory
      if (t === 0x83) {
        const n = Math.min(dir[o + 1]!, 11);
        sig.label = utf16(dir, o + 2, n) || undefined;
        break;
      }
    }
  }
  return sig;
}

/** FAT: the magic strings libblkid accepts, then a BPB that makes sense (it is easy to mistake an MBR). */
export function probeVfat(r: BlockReader): FsSignature | undefined {
  const bs = r.read(0, 512);
  if (bs.length < 512) return undefined;
  const magic =
    hasMagic(bs, 0x52, 'MSWIN') || hasMagic(bs, 0x52, 'FAT32   ') || hasMagic(bs, 0x36, 'MSDOS') || hasMagic(bs, 0x36, 'FAT16   ') || hasMagic(bs, 0x36, 'FAT12   ') || hasMagic(bs, 0x36, 'FAT     ');
  if (!magic) return undefined;
  const bps = u16(bs, 0x0b)!;
  const spc = bs[0x0d]!;
  const reserved = u16(bs, 0x0e)!;
  const nFats = bs[0x10]!;
  const rootEntries = u16(bs, 0x11)!;
  const media = bs[0x15]!;
  if (!isPowerOfTwo(bps) || bps < 512 || bps > 4096 || !isPowerOfTwo(spc) || reserved === 0 || nFats < 1 || nFats > 2) return undefined;
  if (media !== 0xf0 && media < 0xf8) return undefined;
  const total = (u16(bs, 0x13) || u32(bs, 0x20)) ?? 0;
  const fatSize = (u16(bs, 0x16) || u32(bs, 0x24)) ?? 0;
  const rootDirSectors = Math.ceil((rootEntries * 32) / bps);
  const dataStart = reserved + nFats * fatSize + rootDirSectors;
  const clusters = Math.floor((total - dataStart) / spc);
  const isFat32 = u16(bs, 0x16) === 0;
  const version = isFat32 ? 'FAT32' : clusters < 4085 ? 'FAT12' : 'FAT16';
  const ext = isFat32 ? 0x40 : 0x24; // extended BPB: drive number, reserved, signature 0x29, serial, label
  const sig: FsSignature = { type: 'vfat', version, blockSize: spc * bps, fsSize: total * bps };
  if (bs[ext + 2] === 0x29 || bs[ext + 2] === 0x28) {
    const hex = (u32(bs, ext + 3) ?? 0).toString(16).toUpperCase().padStart(8, '0');
    sig.uuid = `${hex.slice(0, 4)}-${hex.slice(4)}`;
    if (bs[ext + 2] === 0x29) sig.label = paddedLabel(bs, ext + 7, 11);
  }
  // The root directory's label entry wins over the boot sector's (that is what Windows shows).
  const rootStart = isFat32 ? (dataStart + ((u32(bs, 0x2c) ?? 2) - 2) * spc) * bps : (reserved + nFats * fatSize) * bps;
  const rootLen = isFat32 ? spc * bps : rootEntries * 32;
  const dir = r.read(rootStart, Math.min(rootLen, 65536));
  for (let o = 0; o + 32 <= dir.length; o += 32) {
    const first = dir[o]!;
    if (first === 0) break;
    if (first === 0xe5) continue; // deleted entry
    const attr = dir[o + 11]!;
    if ((attr & 0x0f) === 0x0f) continue; // long-name entry
    if (attr & 0x08) {
      const l = paddedLabel(dir, o, 11);
      if (l) sig.label = l;
      break;
    }
  }
  if (sig.label === 'NO NAME') delete sig.label;
  return sig;
}
