// SPDX-License-Identifier: GPL-3.0-or-later
// `responder devices --image FILE`: the same inventory for an image copy as for a disk: the
// partition table and each partition's file system, read by responder itself through O_RDONLY
// readers. Rows are shaped like the block devices', so the table and --json are the same; a
// partition row's path is FILE:N, exactly what `responder mount FILE:N` takes.
import { statSync } from 'node:fs';
import { FileReader, windowReader, type BlockReader } from './reader.js';
import { readPartitionTable } from './partitions.js';
import { probeFilesystem } from './probe.js';
import { describeContents, type DeviceReport } from './report.js';

/**
 * `shown` names the evidence in the rows (the E01 file, not its FUSE view); `file` is what is read.
 * An unreadable partition gets a probeError on its row; the others are still listed.
 */
export function imageReport(file: string, shown: string): DeviceReport {
  const size = statSync(file).size;
  const reader = FileReader.open(file, size);
  try {
    const disk: DeviceReport = { name: shown, path: shown, devno: '', size, readOnly: true, removable: false, logicalSectorSize: 512, physicalSectorSize: 512, partitions: [] };
    const table = readPartitionTable(reader);
    if (table && table.partitions.length) {
      disk.partitionTable = table.scheme;
      disk.logicalSectorSize = table.sectorSize;
      for (const p of table.partitions) {
        const row: DeviceReport = {
          name: `${shown}:${p.number}`,
          path: `${shown}:${p.number}`,
          devno: '',
          size: p.size,
          readOnly: true,
          removable: false,
          logicalSectorSize: table.sectorSize,
          physicalSectorSize: table.sectorSize,
          partition: { number: p.number, start: p.start, parent: shown },
          partitions: [],
        };
        disk.partitions.push(probeInto(row, windowReader(reader, p.start, p.size)));
      }
      return disk;
    }
    return probeInto(disk, reader);
  } finally {
    reader.close();
  }
}

function probeInto(row: DeviceReport, r: BlockReader): DeviceReport {
  try {
    return describeContents(row, probeFilesystem(r));
  } catch (err) {
    row.probeError = `${row.path}: ${(err as Error).message}`;
    return row;
  }
}
