// SPDX-License-Identifier: GPL-3.0-or-later
// Superblock parsers for Linux formats: ext2/3/4, XFS, btrfs, swap (and hibernation images), LVM2
// physical volumes, md RAID members (superblocks 0.90 and 1.x) and LUKS. Offsets follow the
// kernel's headers (fs/ext4/ext4.h, fs/xfs/libxfs/xfs_format.h, include/uapi/linux/raid/md_p.h)
// and util-linux's libblkid, whose TYPE names and UUID formats we reproduce.
import type { BlockReader } from './reader.js';
import type { FsSignature } from './signature.js';
import { ascii, be32, be64, cLabel, hasMagic, u16, u32, u64, uuidString } from './bytes.js';

const EXT_COMPAT_HAS_JOURNAL = 0x4;
const EXT_INCOMPAT_RECOVER = 0x4; // the journal needs replaying
const EXT_INCOMPAT_JOURNAL_DEV = 0x8;
// Features ext3 knows; anything beyond them makes it ext4 (libblkid's rule).
const EXT3_INCOMPAT_SUPP = 0x2 | 0x4 | 0x10;
const EXT3_RO_COMPAT_SUPP = 0x1 | 0x2 | 0x4;
const EXT2_INCOMPAT_SUPP = 0x2 | 0x10;

export function probeExt(r: BlockReader): FsSignature | undefined {
  const sb = r.read(1024, 1024);
  if (u16(sb, 0x38) !== 0xef53) return undefined;
  const compat = u32(sb, 0x5c) ?? 0;
  const incompat = u32(sb, 0x60) ?? 0;
  const roCompat = u32(sb, 0x64) ?? 0;
  const logBlock = u32(sb, 0x18) ?? 0;
  if (logBlock > 6) return undefined; // block size over 64 KiB: not a real superblock
  const blockSize = 1024 << logBlock;
  const blocksLo = u32(sb, 0x04) ?? 0;
  const blocksHi = incompat & 0x80 ? (u32(sb, 0x150) ?? 0) : 0;
  let type: string;
  if (incompat & EXT_INCOMPAT_JOURNAL_DEV) type = 'jbd';
  else if (!(compat & EXT_COMPAT_HAS_JOURNAL) && !(incompat & ~EXT2_INCOMPAT_SUPP) && !(roCompat & ~EXT3_RO_COMPAT_SUPP)) type = 'ext2';
  else if (compat & EXT_COMPAT_HAS_JOURNAL && !(incompat & ~EXT3_INCOMPAT_SUPP) && !(roCompat & ~EXT3_RO_COMPAT_SUPP)) type = 'ext3';
  else type = 'ext4';
  return {
    type,
    label: cLabel(sb, 0x78, 16),
    uuid: uuidString(sb, 0x68),
    version: `${u32(sb, 0x4c) ?? 0}.${u16(sb, 0x3e) ?? 0}`,
    blockSize,
    fsSize: (blocksHi * 2 ** 32 + blocksLo) * blockSize,
    dirty: Boolean(incompat & EXT_INCOMPAT_RECOVER),
  };
}

export function probeXfs(r: BlockReader): FsSignature | undefined {
  const sb = r.read(0, 512);
  if (!hasMagic(sb, 0, 'XFSB')) return undefined;
  const blockSize = be32(sb, 4) ?? 0;
  if (blockSize < 512 || blockSize > 65536) return undefined;
  const version = (sb.readUInt16BE(100) & 0xf).toString();
  return { type: 'xfs', label: cLabel(sb, 108, 12), uuid: uuidString(sb, 32), version, blockSize, fsSize: (be64(sb, 8) ?? 0) * blockSize };
}

export function probeBtrfs(r: BlockReader): FsSignature | undefined {
  const sb = r.read(0x10000, 4096);
  if (!hasMagic(sb, 0x40, '_BHRfS_M')) return undefined;
  return { type: 'btrfs', uuid: uuidString(sb, 0x20), label: cLabel(sb, 0x12b, 256), fsSize: u64(sb, 0x70), blockSize: u32(sb, 0x90) };
}

/** Swap areas: the signature ends the first page, whatever the page size of the machine that made it. */
export function probeSwap(r: BlockReader): FsSignature | undefined {
  for (const page of [4096, 8192, 16384, 65536]) {
    const tail = r.read(page - 10, 10);
    const magic = tail.toString('latin1');
    if (magic === 'SWAPSPACE2' || magic === 'SWAP-SPACE') {
      const hdr = r.read(1024, 64);
      return {
        type: 'swap',
        version: magic === 'SWAPSPACE2' ? '1' : '0',
        uuid: magic === 'SWAPSPACE2' ? uuidString(hdr, 12) : undefined,
        label: magic === 'SWAPSPACE2' ? cLabel(hdr, 28, 16) : undefined,
        blockSize: page,
      };
    }
    // A hibernation image (swsuspend) overwrites the swap signature: memory of the suspended system.
    if (/^(S1SUSPEND|S2SUSPEND|ULSUSPEND|LINHIB0001)/.test(magic)) {
      return { type: 'swsuspend', blockSize: page };
    }
  }
  return undefined;
}

/** LVM2 physical volume: "LABELONE" in one of the first four sectors, then a 32-character PV id. */
export function probeLvm2(r: BlockReader): FsSignature | undefined {
  const head = r.read(0, 4 * 512);
  for (let s = 0; s < 4; s++) {
    const o = s * 512;
    if (hasMagic(head, o, 'LABELONE') && hasMagic(head, o + 24, 'LVM2 001')) {
      const pvOff = o + (u32(head, o + 20) ?? 32);
      const id = ascii(head, pvOff, 32);
      // blkid prints the PV id as 6-4-4-4-4-4-6.
      const parts = [6, 4, 4, 4, 4, 4, 6];
      let i = 0;
      const uuid = parts.map((n) => id.slice(i, (i += n))).join('-');
      return { type: 'LVM2_member', uuid, version: 'LVM2 001' };
    }
  }
  return undefined;
}

const MD_MAGIC = 0xa92b4efc;

/** md RAID member. 1.1 at 0, 1.2 at 4 KiB, 1.0 and 0.90 near the end of the device. */
export function probeMd(r: BlockReader): FsSignature | undefined {
  const candidates: [string, number][] = [
    ['1.1', 0],
    ['1.2', 4096],
  ];
  if (r.size >= 8192) candidates.push(['1.0', Math.floor((r.size - 8192) / 4096) * 4096]);
  for (const [version, off] of candidates) {
    const sb = r.read(off, 256);
    if (u32(sb, 0) === MD_MAGIC && u32(sb, 4) === 1) {
      return { type: 'linux_raid_member', version, uuid: uuidString(sb, 16), label: cLabel(sb, 32, 32) };
    }
  }
  if (r.size >= 65536) {
    const off = Math.floor(r.size / 65536) * 65536 - 65536;
    const sb = r.read(off, 128);
    if (u32(sb, 0) === MD_MAGIC && u32(sb, 4) === 0) {
      // 0.90 keeps its UUID in four scattered words: set_uuid0 at 5, set_uuid1..3 at 13..15.
      const w = [5, 13, 14, 15].map((i) => (u32(sb, i * 4) ?? 0).toString(16).padStart(8, '0')).join('');
      return { type: 'linux_raid_member', version: '0.90.0', uuid: `${w.slice(0, 8)}-${w.slice(8, 12)}-${w.slice(12, 16)}-${w.slice(16, 20)}-${w.slice(20)}` };
    }
  }
  return undefined;
}

export function probeLuks(r: BlockReader): FsSignature | undefined {
  const hdr = r.read(0, 512);
  if (!hasMagic(hdr, 0, Buffer.from([0x4c, 0x55, 0x4b, 0x53, 0xba, 0xbe]))) return undefined;
  const version = hdr.readUInt16BE(6);
  return { type: 'crypto_LUKS', version: String(version), uuid: cLabel(hdr, 168, 40), label: version === 2 ? cLabel(hdr, 24, 48) : undefined };
}
