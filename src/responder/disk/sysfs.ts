// SPDX-License-Identifier: GPL-3.0-or-later
// What the kernel knows about block devices, read from /sys (never from the devices themselves):
// size, model, serial, flags, partitions, and which devices sit underneath a file system (so that
// acquire can refuse to write an image onto the disk it is reading).
import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';

export const SYS = process.env.RESPONDER_SYSFS ?? '/sys';

export interface BlockDevice {
  name: string;
  /** /dev path (from the uevent's DEVNAME). */
  path: string;
  /** "major:minor". */
  devno: string;
  size: number;
  readOnly: boolean;
  removable: boolean;
  logicalSectorSize: number;
  physicalSectorSize: number;
  rotational?: boolean;
  model?: string;
  serial?: string;
  /** For loop devices: the file behind it. */
  backingFile?: string;
  /** For partitions: number and start in bytes, and the disk they belong to. */
  partition?: { number: number; start: number; parent: string };
  partitions: BlockDevice[];
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'latin1').trim();
  } catch {
    return undefined;
  }
}

function num(file: string): number | undefined {
  const s = read(file);
  return s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined;
}

/** SCSI/SATA VPD page 0x80 (unit serial number): 4-byte header, then the serial. */
function vpdSerial(file: string): string | undefined {
  try {
    const b = readFileSync(file);
    const len = b[3] ?? 0;
    const s = b
      .subarray(4, 4 + len)
      .toString('latin1')
      .replace(/\0/g, '')
      .trim();
    return s || undefined;
  } catch {
    return undefined;
  }
}

function serialOf(dir: string): string | undefined {
  // NVMe: the namespace's device/ is the controller, which has the serial; virtio: <disk>/serial.
  return (
    read(path.join(dir, 'device/serial')) ||
    read(path.join(dir, 'serial')) ||
    vpdSerial(path.join(dir, 'device/vpd_pg80')) ||
    read(path.join(dir, 'device/wwid')) ||
    read(path.join(dir, 'wwid')) ||
    undefined
  );
}

function modelOf(dir: string): string | undefined {
  const vendor = read(path.join(dir, 'device/vendor'));
  const model = read(path.join(dir, 'device/model'));
  if (!model) return undefined;
  // virtio reports its PCI vendor id (0x1af4) as "vendor": not worth showing.
  return vendor && !/^0x[0-9a-f]+$/i.test(vendor) && vendor !== 'ATA' ? `${vendor} ${model}` : model;
}

function devName(dir: string, fallback: string): string {
  const uevent = read(path.join(dir, 'uevent')) ?? '';
  const m = /^DEVNAME=(.+)$/m.exec(uevent);
  return m ? m[1]! : fallback;
}

/** One device described from its /sys/class/block directory; `disk` is its parent for partitions. */
export function describe(dir: string, disk?: BlockDevice): BlockDevice {
  const name = path.basename(dir);
  const partNo = num(path.join(dir, 'partition'));
  const queueDir = disk ? path.join(SYS, 'class/block', disk.name, 'queue') : path.join(dir, 'queue');
  const dev: BlockDevice = {
    name,
    path: `/dev/${devName(dir, name)}`,
    devno: read(path.join(dir, 'dev')) ?? '',
    size: (num(path.join(dir, 'size')) ?? 0) * 512, // always 512-byte units, whatever the sector size
    readOnly: read(path.join(dir, 'ro')) === '1',
    removable: disk ? disk.removable : read(path.join(dir, 'removable')) === '1',
    logicalSectorSize: num(path.join(queueDir, 'logical_block_size')) ?? 512,
    physicalSectorSize: num(path.join(queueDir, 'physical_block_size')) ?? 512,
    partitions: [],
  };
  const rot = read(path.join(queueDir, 'rotational'));
  if (rot !== undefined) dev.rotational = rot === '1';
  const modelDir = disk ? path.join(SYS, 'class/block', disk.name) : dir;
  const model = modelOf(modelDir);
  if (model) dev.model = model;
  const serial = serialOf(modelDir);
  if (serial) dev.serial = serial;
  const backing = read(path.join(dir, 'loop/backing_file'));
  if (backing) dev.backingFile = backing;
  if (partNo !== undefined && disk) dev.partition = { number: partNo, start: (num(path.join(dir, 'start')) ?? 0) * 512, parent: disk.name };
  return dev;
}

/** Every disk with its partitions nested, sorted by name. */
export function listBlockDevices(): BlockDevice[] {
  const classDir = path.join(SYS, 'class/block');
  const names = readdirSync(classDir).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const disks: BlockDevice[] = [];
  for (const name of names) {
    const dir = path.join(classDir, name);
    if (existsSync(path.join(dir, 'partition'))) continue;
    const disk = describe(dir);
    // Partitions are subdirectories of the disk's own sysfs directory that have a `partition` file.
    const real = realpathSync(dir);
    for (const child of readdirSync(real).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))) {
      if (existsSync(path.join(real, child, 'partition'))) disk.partitions.push(describe(path.join(classDir, child), disk));
    }
    disks.push(disk);
  }
  return disks;
}

/** The device with this number ("8:1"), described as above (partitions get their disk's model/serial). */
export function deviceByNumber(devno: string): BlockDevice | undefined {
  const link = path.join(SYS, 'dev/block', devno);
  if (!existsSync(link)) return undefined;
  const real = realpathSync(link);
  if (existsSync(path.join(real, 'partition'))) {
    const disk = describe(path.join(SYS, 'class/block', path.basename(path.dirname(real))));
    return describe(path.join(SYS, 'class/block', path.basename(real)), disk);
  }
  return describe(path.join(SYS, 'class/block', path.basename(real)));
}

export function devnoString(rdev: number): string {
  // Linux's encoding of dev_t (glibc's gnu_dev_major/minor).
  const major = ((rdev >> 8) & 0xfff) | (Math.floor(rdev / 2 ** 32) & ~0xfff);
  const minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00);
  return `${major}:${minor}`;
}

/**
 * Every block device a device is built from: itself, its disk when it is a partition, the members
 * of a dm/md device (`slaves`, recursively) with their disks, and for a loop device the file
 * behind it. Used to tell whether an output file would land on the evidence.
 */
export function underlying(devno: string, seen = new Set<string>(), files = new Set<string>()): { devices: Set<string>; files: Set<string> } {
  if (seen.has(devno)) return { devices: seen, files };
  seen.add(devno);
  const link = path.join(SYS, 'dev/block', devno);
  if (!existsSync(link)) return { devices: seen, files };
  const real = realpathSync(link);
  if (existsSync(path.join(real, 'partition'))) {
    const parent = read(path.join(path.dirname(real), 'dev'));
    if (parent) underlying(parent, seen, files);
  }
  const backing = read(path.join(real, 'loop/backing_file'));
  if (backing) files.add(backing);
  let slaves: string[] = [];
  try {
    slaves = readdirSync(path.join(real, 'slaves'));
  } catch {
    /* no slaves directory */
  }
  for (const s of slaves) {
    const d = read(path.join(SYS, 'class/block', s, 'dev'));
    if (d) underlying(d, seen, files);
  }
  return { devices: seen, files };
}
