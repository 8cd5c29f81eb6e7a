// SPDX-License-Identifier: GPL-3.0-or-later
// One row of `responder devices` (a block device, or an image copy with --image) and what its
// own signatures say about its contents: partition table, file system type, label, UUID, version,
// dirty journal. Shared by the device list, the image report and the collection disk's checks.
import { describeSystemError } from '../lib/errors.js';
import { readPartitionTable } from './partitions.js';
import { probeFilesystem, type FsSignature } from './probe.js';
import { FileReader } from './reader.js';
import type { BlockDevice } from './sysfs.js';

export interface DeviceReport extends Omit<BlockDevice, 'partitions'> {
  partitionTable?: 'dos' | 'gpt';
  fsType?: string;
  label?: string;
  uuid?: string;
  fsVersion?: string;
  /** The journal/log needs replaying (ext3/4): only `responder mount` is safe on it. */
  dirty?: boolean;
  /** Why the signatures could not be read (no medium, permission denied, I/O error). */
  probeError?: string;
  partitions: DeviceReport[];
}

/** A file system signature's facts on the row (nothing when no signature was recognised). */
export function describeContents(row: DeviceReport, sig: FsSignature | undefined): DeviceReport {
  if (!sig) return row;
  row.fsType = sig.type;
  if (sig.label !== undefined) row.label = sig.label;
  if (sig.uuid !== undefined) row.uuid = sig.uuid;
  if (sig.version !== undefined) row.fsVersion = sig.version;
  if (sig.dirty) row.dirty = true;
  return row;
}

/** A block device and its partitions, read O_RDONLY: a few sectors each. */
export function probeDevice(dev: BlockDevice): DeviceReport {
  const { partitions, ...rest } = dev;
  const out: DeviceReport = { ...rest, partitions: partitions.map(probeDevice) };
  if (dev.size === 0) return out;
  let reader: FileReader | undefined;
  try {
    reader = FileReader.open(dev.path, dev.size);
    if (!dev.partition) {
      const table = readPartitionTable(reader);
      if (table) out.partitionTable = table.scheme;
    }
    describeContents(out, probeFilesystem(reader));
  } catch (err) {
    out.probeError = describeSystemError(err, dev.path).message;
  } finally {
    reader?.close();
  }
  return out;
}
