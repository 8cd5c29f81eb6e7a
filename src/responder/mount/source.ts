// SPDX-License-Identifier: GPL-3.0-or-later
// What SOURCE means for `responder mount`: a block device, a partition of one, an image file, or a
// partition inside an image file ("disk.raw:2" or --partition 2), found by parsing its table.
import { existsSync, readFileSync, readdirSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { ResponderError, UsageError, describeSystemError } from '../lib/errors.js';
import { FileReader, windowReader, type BlockReader } from '../disk/reader.js';
import { readPartitionTable } from '../disk/partitions.js';
import { SYS, deviceByNumber, devnoString } from '../disk/sysfs.js';

export interface ResolvedSource {
  /** As given, without the :N suffix. */
  path: string;
  kind: 'block device' | 'file';
  partition?: number;
  /** The partition's type (GPT type GUID or MBR type byte), for messages only. */
  partitionType?: string;
  /** Where the file system starts and how long it is, inside `path` (for a loop device). */
  offset: number;
  size: number;
  /** For a block device partition the kernel already knows: that device, mounted directly. */
  device?: string;
  devno?: string;
}

export function splitPartitionSuffix(spec: string, flag: string | undefined): { file: string; partition?: number } {
  let partition = flag !== undefined ? Number(flag) : undefined;
  if (flag !== undefined && (!Number.isInteger(partition) || partition! < 1)) throw new UsageError(`--partition: not a partition number: "${flag}"`);
  let file = spec;
  const m = /^(.*):(\d+)$/.exec(spec);
  // "disk.raw:2" means partition 2, unless a file with that very name exists.
  if (m && !existsSync(spec) && existsSync(m[1]!)) {
    if (partition !== undefined) throw new UsageError('give the partition either as SOURCE:N or with --partition, not both');
    file = m[1]!;
    partition = Number(m[2]);
  }
  return { file, partition };
}

export function resolveSource(spec: string, partitionFlag?: string): { src: ResolvedSource; reader: BlockReader; close(): void } {
  const { file, partition } = splitPartitionSuffix(spec, partitionFlag);
  let st: Stats;
  try {
    st = statSync(file);
  } catch (err) {
    throw describeSystemError(err, file);
  }
  if (!st.isBlockDevice() && !st.isFile()) throw new ResponderError(`${file}: not a block device or an image file`);
  const devno = st.isBlockDevice() ? devnoString(st.rdev) : undefined;
  const size = devno ? (deviceByNumber(devno)?.size ?? 0) : st.size;
  let fr: FileReader;
  try {
    fr = FileReader.open(file, size);
  } catch (err) {
    throw describeSystemError(err, file);
  }
  const base: ResolvedSource = { path: path.resolve(file), kind: devno ? 'block device' : 'file', offset: 0, size, devno };
  if (partition === undefined) return { src: base, reader: fr, close: () => fr.close() };

  const table = readPartitionTable(fr);
  if (!table) {
    fr.close();
    throw new ResponderError(`${file}: no MBR or GPT partition table, so no partition ${partition}`, 1, `mount the whole ${devno ? 'device' : 'image'} without :${partition}`);
  }
  const p = table.partitions.find((x) => x.number === partition);
  if (!p) {
    fr.close();
    throw new ResponderError(`${file}: no partition ${partition} in its ${table.scheme} table (it has: ${table.partitions.map((x) => x.number).join(', ') || 'none'})`);
  }
  if (p.start + p.size > size) {
    fr.close();
    throw new ResponderError(`${file}: partition ${partition} ends past the end of the ${devno ? 'device' : 'image'} (truncated image?)`);
  }
  const src: ResolvedSource = { ...base, partition, partitionType: p.type, offset: p.start, size: p.size };
  if (devno) src.device = kernelPartition(devno, partition);
  return { src, reader: windowReader(fr, p.start, p.size), close: () => fr.close() };
}

/** /dev/sdaN when the kernel has a device for partition N of this disk. */
function kernelPartition(devno: string, n: number): string | undefined {
  const dev = deviceByNumber(devno);
  if (!dev || dev.partition) return undefined;
  const dir = path.join(SYS, 'class/block', dev.name);
  for (const child of readdirSync(dir)) {
    if (!existsSync(path.join(dir, child, 'partition'))) continue;
    const d = deviceByNumber(readFileSync(path.join(dir, child, 'dev'), 'latin1').trim());
    if (d?.partition?.number === n) return d.path;
  }
  return undefined;
}
