// SPDX-License-Identifier: GPL-3.0-or-later
// Which disk may become the collection disk: pure checks on what /sys and the disk's own
// signatures say (responder devices' view), so every refusal is testable without a disk.
import { ResponderError, UsageError } from '../lib/errors.js';
import type { DeviceReport } from '../disk/report.js';

export interface CandidateFacts {
  disk: DeviceReport;
  /** The whole disk the live system booted from (/run/live/medium), if any. */
  bootDisk?: string;
  /** Whole disks with something mounted from them. */
  mountedDisks: Set<string>;
}

/** One line per thing on the disk: its partition table, file systems and other signatures. */
export function contents(d: DeviceReport): string[] {
  const sig = (x: DeviceReport) => [x.fsType, x.label && `label "${x.label}"`, x.uuid && `UUID ${x.uuid}`].filter(Boolean).join(', ');
  const out: string[] = [];
  if (d.partitionTable) out.push(`${d.path}: ${d.partitionTable} partition table`);
  if (d.fsType) out.push(`${d.path}: ${sig(d)} (on the whole disk)`);
  for (const p of d.partitions) out.push(`${p.path}: partition ${p.partition?.number ?? '?'}, ${p.size} bytes${p.fsType ? `, ${sig(p)}` : ''}`);
  return out;
}

/** Refuse anything but the disk the responder named and confirmed; returns what --erase would destroy. */
export function checkCandidate(f: CandidateFacts, opts: { serial: string; erase: boolean }): string[] {
  const d = f.disk;
  if (d.partition) throw new UsageError(`${d.path} is a partition: name the whole disk (${d.partition.parent})`);
  if (f.bootDisk === d.path) throw new ResponderError(`refusing ${d.path}: the live system booted from it`, 1, 'plug in a separate, empty USB disk for the collection');
  if (f.mountedDisks.has(d.path)) throw new ResponderError(`refusing ${d.path}: something on it is mounted (evidence?)`, 1, 'responder umount it first, or choose another disk');
  if (d.size === 0) throw new ResponderError(`refusing ${d.path}: no medium (size 0)`);
  if (d.probeError) throw new ResponderError(`refusing ${d.path}: cannot read its signatures: ${d.probeError}`);
  const actual = d.serial ?? 'none';
  if (opts.serial !== actual) {
    throw new ResponderError(
      `refusing ${d.path}: its serial is ${JSON.stringify(actual)}, not ${JSON.stringify(opts.serial)}`,
      1,
      'check the disk with: responder devices (the SERIAL column); a disk without one: --serial none',
    );
  }
  const found = contents(d);
  if (found.length && !opts.erase) {
    throw new ResponderError(`refusing ${d.path}: it is not empty (${found.join('; ')})`, 1, `if this really is the disk to erase: responder collect prepare ${d.path} --serial ${actual} --erase`);
  }
  return found;
}
