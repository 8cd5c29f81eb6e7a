// SPDX-License-Identifier: GPL-3.0-or-later
// Why there is nothing to mount, in words a responder can act on: a whole disk holds a partition
// table (say which partition to mount, e.g. the APFS one of a Mac disk), or a partition's type
// promises a file system whose signature is not there.
import type { PartitionTable } from '../disk/partitions.js';
import { isApfsPartitionType, partitionTypeName } from '../disk/partition-types.js';
import type { ResolvedSource } from './source.js';

/** A better refusal than "no signature" for `src`, or undefined when there is nothing to add. */
export function explainNoFilesystem(spec: string, src: ResolvedSource, table: PartitionTable | undefined): string | undefined {
  if (src.partition !== undefined) {
    if (isApfsPartitionType(src.partitionType))
      return 'the partition type says APFS, but there is no APFS container superblock (NXSB) at its start: damaged, wiped, or not an APFS container; acquire it and examine the copy';
    return undefined;
  }
  if (!table || table.partitions.length === 0) return undefined;
  const list = table.partitions.map((p) => `${p.number}: ${partitionTypeName(p.type)}`).join(', ');
  const pick = table.partitions.find((p) => isApfsPartitionType(p.type)) ?? table.partitions[table.partitions.length - 1]!;
  return `it holds a${table.scheme === 'gpt' ? ' GPT' : 'n MBR'} partition table, not a file system (partitions ${list}): mount one partition, e.g. responder mount ${spec}:${pick.number}`;
}
