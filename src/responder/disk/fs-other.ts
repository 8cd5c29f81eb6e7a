// SPDX-License-Identifier: GPL-3.0-or-later
// ISO 9660 (CDs, DVDs, our own live media) and APFS containers.
import type { BlockReader } from './reader.js';
import type { FsSignature } from './signature.js';
import { hasMagic, paddedLabel, u32, u64, uuidString } from './bytes.js';

/** The primary volume descriptor sits at 32 KiB; blkid derives the UUID from its creation time. */
export function probeIso9660(r: BlockReader): FsSignature | undefined {
  const pvd = r.read(0x8000, 2048);
  if (pvd[0] !== 1 || !hasMagic(pvd, 1, 'CD001')) return undefined;
  const created = pvd.subarray(813, 829).toString('latin1');
  let uuid: string | undefined;
  if (/^\d{16}$/.test(created) && created !== '0000000000000000') {
    const c = created;
    uuid = `${c.slice(0, 4)}-${c.slice(4, 6)}-${c.slice(6, 8)}-${c.slice(8, 10)}-${c.slice(10, 12)}-${c.slice(12, 14)}-${c.slice(14, 16)}`;
  }
  const blocks = u32(pvd, 80) ?? 0;
  const blockSize = pvd.readUInt16LE(128);
  return { type: 'iso9660', label: paddedLabel(pvd, 40, 32), uuid, blockSize, fsSize: blocks * blockSize };
}

/** APFS container superblock ("NXSB" at byte 32 of block 0). Volume names live deeper; not read. */
export function probeApfs(r: BlockReader): FsSignature | undefined {
  const b = r.read(0, 4096);
  if (!hasMagic(b, 32, 'NXSB')) return undefined;
  const blockSize = u32(b, 36) ?? 0;
  return { type: 'apfs', uuid: uuidString(b, 72), blockSize, fsSize: (u64(b, 40) ?? 0) * blockSize };
}
