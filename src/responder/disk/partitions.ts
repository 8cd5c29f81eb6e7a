// SPDX-License-Identifier: GPL-3.0-or-later
// Partition tables of disk images (MBR with extended/logical partitions, and GPT), parsed from
// the image so that `mount image.raw:2` and `acquire` know where partition 2 starts without asking
// the kernel to scan the image (losetup --partscan would create devices udev then probes).
import type { BlockReader } from './reader.js';
import { guidString, hasMagic, u16, u32, u64, utf16 } from './bytes.js';

export interface Partition {
  /** 1-based, as Linux numbers them (logical MBR partitions start at 5). */
  number: number;
  start: number; // bytes
  size: number; // bytes
  /** MBR type byte as two hex digits, or the GPT type GUID. */
  type: string;
  name?: string;
  uuid?: string;
}

export interface PartitionTable {
  scheme: 'dos' | 'gpt';
  sectorSize: number;
  partitions: Partition[];
}

const EXTENDED = new Set([0x05, 0x0f, 0x85]);
const MAX_LOGICAL = 128; // an EBR chain longer than this is a loop or garbage

export function readPartitionTable(r: BlockReader): PartitionTable | undefined {
  for (const sectorSize of [512, 4096]) {
    const hdr = r.read(sectorSize, 512);
    if (hasMagic(hdr, 0, 'EFI PART')) return readGpt(r, hdr, sectorSize);
  }
  return readMbr(r);
}

function readGpt(r: BlockReader, hdr: Buffer, ss: number): PartitionTable {
  const entriesLba = u64(hdr, 72) ?? 2;
  const count = Math.min(u32(hdr, 80) ?? 0, 1024);
  const entrySize = u32(hdr, 84) ?? 128;
  const table = entrySize >= 128 && entrySize <= 4096 ? r.read(entriesLba * ss, count * entrySize) : Buffer.alloc(0);
  const partitions: Partition[] = [];
  for (let i = 0; i < count && (i + 1) * entrySize <= table.length; i++) {
    const e = table.subarray(i * entrySize, (i + 1) * entrySize);
    if (e.subarray(0, 16).every((b) => b === 0)) continue; // unused entry
    const first = u64(e, 32)!;
    const last = u64(e, 40)!;
    if (last < first) continue;
    partitions.push({ number: i + 1, start: first * ss, size: (last - first + 1) * ss, type: guidString(e, 0), uuid: guidString(e, 16), name: utf16(e, 56, 36).replace(/\0.*$/s, '') || undefined });
  }
  return { scheme: 'gpt', sectorSize: ss, partitions };
}

function readMbr(r: BlockReader): PartitionTable | undefined {
  const mbr = r.read(0, 512);
  if (u16(mbr, 510) !== 0xaa55) return undefined;
  const partitions: Partition[] = [];
  let extended: { start: number; size: number } | undefined;
  for (let i = 0; i < 4; i++) {
    const e = mbr.subarray(446 + i * 16, 462 + i * 16);
    const status = e[0]!;
    if (status !== 0 && status !== 0x80) return undefined; // not a partition table (a boot sector, say)
    const type = e[4]!;
    const start = u32(e, 8)! * 512;
    const size = u32(e, 12)! * 512;
    if (type === 0 || size === 0) continue;
    partitions.push({ number: i + 1, start, size, type: hex2(type) });
    if (EXTENDED.has(type) && !extended) extended = { start, size };
  }
  if (extended) partitions.push(...readLogical(r, extended.start));
  return { scheme: 'dos', sectorSize: 512, partitions };
}

/** Logical partitions: a chain of EBRs, each relative to the extended partition's start. */
function readLogical(r: BlockReader, extStart: number): Partition[] {
  const out: Partition[] = [];
  const seen = new Set<number>();
  let ebr = extStart;
  for (let n = 5; n < 5 + MAX_LOGICAL && !seen.has(ebr); n++) {
    seen.add(ebr);
    const b = r.read(ebr, 512);
    if (u16(b, 510) !== 0xaa55) break;
    const t = b[446 + 4]!;
    if (t !== 0) out.push({ number: n, start: ebr + u32(b, 446 + 8)! * 512, size: u32(b, 446 + 12)! * 512, type: hex2(t) });
    const next = u32(b, 462 + 8)!;
    if (b[462 + 4] === 0 || next === 0) break;
    ebr = extStart + next * 512;
  }
  return out;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
