// SPDX-License-Identifier: GPL-3.0-or-later
// `responder devices`: every block device with what /sys says about it and what its own
// signatures say (file system type, label, UUID), read O_RDONLY. Nothing is mounted or probed by
// another program, so the responder knows exactly which bytes were read: a few sectors per device.
import type { Command } from '../cli/command.js';
import { parse } from '../cli/args.js';
import { describeSystemError, UsageError } from '../lib/errors.js';
import { humanBytes, printJson, printText } from '../lib/output.js';
import { listBlockDevices, type BlockDevice } from '../disk/sysfs.js';
import { readMarker } from '../collect/marker.js';
import { writableDisks } from '../collect/writable.js';
import { imageReport } from '../disk/image-report.js';
import { probeDevice, type DeviceReport } from '../disk/report.js';
import { attachEwf, detachEwf, isEwfFile } from '../mount/ewf.js';
import path from 'node:path';

function table(devs: DeviceReport[]): string {
  const rows: string[][] = [['NAME', 'SIZE', 'RO', 'RM', 'TYPE', 'LABEL', 'UUID', 'MODEL', 'SERIAL']];
  const row = (d: DeviceReport, prefix: string) =>
    rows.push([
      prefix + d.path,
      humanBytes(d.size),
      d.readOnly ? 'ro' : 'RW',
      d.removable ? 'yes' : '',
      (d.fsType ?? d.partitionTable ?? (d.probeError ? '?' : '')) + (d.dirty ? ' (dirty)' : ''),
      d.label ?? '',
      d.uuid ?? '',
      d.partition ? '' : (d.model ?? ''),
      d.partition ? '' : (d.serial ?? ''),
    ]);
  for (const d of devs) {
    row(d, '');
    d.partitions.forEach((p, i) => row(p, i === d.partitions.length - 1 ? '└─' : '├─'));
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...r[c]!].length)));
  const lines = rows.map((r) =>
    r
      .map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]! + (cell.length - [...cell].length))))
      .join('  ')
      .trimEnd(),
  );
  const all = devs.flatMap((d) => [d, ...d.partitions]);
  const errors = all.filter((d) => d.probeError);
  const encrypted = all.map(encryptionNote).filter((n): n is string => n !== undefined);
  return [...lines, ...errors.map((d) => `note: ${d.probeError}`), ...encrypted].join('\n');
}

/** What a responder can do with an encrypted volume, as the command to type. */
export function encryptionNote(d: Pick<DeviceReport, 'path' | 'fsType' | 'fsVersion'>): string | undefined {
  if (d.fsType === 'crypto_LUKS') return `LUKS${d.fsVersion ?? ''}: ${d.path} is encrypted; open it read-only with: responder unlock ${d.path}`;
  if (d.fsType === 'BitLocker') return `BitLocker: ${d.path} is encrypted; opening BitLocker is not supported yet (acquire it and decrypt the copy elsewhere)`;
  return undefined;
}

export const devicesCommand: Command = {
  name: 'devices',
  summary: 'list block devices: size, model, serial, flags, partitions, file systems (read-only)',
  help: `Usage: responder devices [--all] [--json]
       responder devices --image FILE [--json]

Lists every block device from /sys/class/block, disks with their partitions nested: path, size,
read-only flag (RW in capitals: a writable evidence disk deserves attention), removable flag,
model, serial, sector size, partition table, and file system type, label and UUID.

File systems are recognised from their on-disk signatures, read by responder itself with O_RDONLY
(a few sectors per device): ext2/3/4 (and whether the journal is dirty), XFS, btrfs, vfat, exFAT,
NTFS, ISO 9660, APFS, swap and hibernation images, LVM2 PV, md RAID members, LUKS, BitLocker.
Nothing is mounted and no other program is run. Run as root to read the devices. Under the table,
each LUKS volume is named with the command that opens it read-only (responder unlock).

With --image FILE (a raw image or an E01 set's .E01, recognised by its content) the same table is
made for the copy: its partition table and each partition's file system. A partition is listed as
FILE:N, what "responder mount FILE:N" takes. An E01 set is read through ewfmount's read-only view.

Options:
  --all          also list empty devices (unused loop devices, readers without a medium)
  --image FILE   list the partitions and file systems of an image copy instead
  --json         print a JSON array (disks, each with a "partitions" array)`,
  async run(argv) {
    const { values, positionals } = parse('devices', argv, { all: { type: 'boolean' }, image: { type: 'string' } });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`, 'see: responder devices --help');
    if (values.image !== undefined) return listImage(values.image as string, Boolean(values.json));
    let devs: BlockDevice[];
    try {
      devs = listBlockDevices();
    } catch (err) {
      throw describeSystemError(err, '/sys/class/block');
    }
    if (!values.all) devs = devs.filter((d) => d.size > 0);
    const reports = devs.map(probeDevice);
    if (values.json) printJson(reports);
    else printText((reports.length ? table(reports) : 'no block devices') + `\n${writableDisks(readMarker(), devs).summary}\n`);
    return 0;
  },
};

/** devices --image: one image copy (raw, or E01 through ewfmount's read-only view, always taken down). */
async function listImage(file: string, json: boolean): Promise<number> {
  const ewf = isEwfFile(file) ? await attachEwf(path.resolve(file)) : undefined;
  try {
    let report;
    try {
      report = imageReport(ewf ? ewf.raw : file, file);
    } catch (err) {
      throw describeSystemError(err, file);
    }
    if (json) printJson([report]);
    else printText(table([report]) + '\n');
    return 0;
  } finally {
    if (ewf) await detachEwf(ewf.fuseDir).catch(() => undefined);
  }
}
