// SPDX-License-Identifier: GPL-3.0-or-later
// Turning the one disk the responder named into the collection disk, and back. ext4, not exFAT:
// its journal keeps the case folder consistent across a power cut, it has the hard links and
// fsync/rename semantics the custody logs rely on, and the analyst's Linux workstation (or
// debugfs anywhere) reads it; exFAT has no journal for metadata and no hard links.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { runProgram } from '../lib/run-program.js';
import { ResponderError } from '../lib/errors.js';
import { listBlockDevices, type BlockDevice } from '../disk/sysfs.js';
import { LIVE_MEDIUM } from '../medium/medium.js';
import { findMount, wholeDisk } from '../medium/device.js';
import { probeDevice } from '../disk/report.js';
import { checkCandidate } from './check.js';
import { MOUNT_POINT, devpathOf, readMarker, removeMarker, writeMarker, type Marker } from './marker.js';

export const LABEL = 'COLLECTION';

function findDisk(device: string): BlockDevice {
  for (const d of listBlockDevices()) {
    if (d.path === device) return d;
    const p = d.partitions.find((x) => x.path === device);
    if (p) return p;
  }
  throw new ResponderError(`${device}: no such block device`, 1, 'see: responder devices');
}

/** Whole disks with anything mounted from them (by device number, from mountinfo). */
export function mountedDisks(mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): Set<string> {
  const out = new Set<string>();
  for (const line of mountinfo.split('\n')) {
    const devno = line.split(' ')[2];
    if (!devno || devno.startsWith('0:')) continue;
    try {
      out.add(wholeDisk(devno));
    } catch {
      /* not a block device (or gone) */
    }
  }
  return out;
}

function bootDisk(): string | undefined {
  const m = findMount(LIVE_MEDIUM);
  return m?.devno ? wholeDisk(m.devno) : undefined;
}

/** Let udev finish its events (mkfs and the new table cause them); a system without udev has none. */
async function settle(): Promise<void> {
  await runProgram(['udevadm', 'settle', '--timeout=30']).catch((err: Error) => {
    if (!/program not found/.test(err.message)) throw err;
  });
}

async function newPartition(disk: string): Promise<BlockDevice> {
  // sgdisk asks the kernel to re-read the table, which is not always honoured at once: tell it
  // about the new partition explicitly (util-linux partx), then wait for its device node.
  await runProgram(['partx', '--update', disk]).catch(() => undefined);
  for (let i = 0; i < 100; i++) {
    await settle();
    const p = findDisk(disk).partitions[0];
    if (p && existsSync(p.path)) return p;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new ResponderError(`${disk}: the new partition did not appear`);
}

export async function prepareCollectionDisk(device: string, opts: { serial: string; erase: boolean; say: (s: string) => void }): Promise<Marker> {
  if (readMarker()) throw new ResponderError(`a collection disk is already prepared (${readMarker()!.disk})`, 1, 'responder collect release first');
  const disk = probeDevice(findDisk(device));
  const found = checkCandidate({ disk, bootDisk: bootDisk(), mountedDisks: mountedDisks() }, opts);
  if (found.length) {
    opts.say(`ERASING ${disk.path} (${disk.model ?? 'unknown model'}, serial ${disk.serial ?? 'none'}, ${disk.size} bytes), which holds:`);
    for (const f of found) opts.say(`  ${f}`);
  }
  // The marker first: from now on udev leaves this disk (and only this disk) writable.
  const marker: Marker = { disk: disk.path, devpath: devpathOf(disk.name), size: disk.size, serial: disk.serial ?? 'none', mountPoint: MOUNT_POINT };
  writeMarker(marker);
  try {
    await runProgram(['blockdev', '--setrw', disk.path]);
    await runProgram(['sgdisk', '--zap-all', disk.path]);
    await runProgram(['sgdisk', '--new=1:0:0', '--typecode=1:8300', `--change-name=1:${LABEL}`, disk.path]);
    const part = await newPartition(disk.path);
    await runProgram(['blockdev', '--setrw', part.path]);
    await runProgram(['mkfs.ext4', '-q', '-F', '-L', LABEL, '-m', '0', part.path], { timeoutMs: 30 * 60_000 });
    await settle();
    mkdirSync(MOUNT_POINT, { recursive: true, mode: 0o755 });
    // noexec: nothing on the collection disk is ever run; nosuid, nodev: nor trusted.
    await runProgram(['mount', '-t', 'ext4', '-o', 'nosuid,nodev,noexec', part.path, MOUNT_POINT]);
  } catch (err) {
    await releaseCollectionDisk(() => undefined).catch(() => undefined);
    throw err;
  }
  return marker;
}

/** Unmount, sync, mark read-only again, forget the marker. */
export async function releaseCollectionDisk(say: (s: string) => void): Promise<Marker | undefined> {
  const m = readMarker();
  if (!m) return undefined;
  if (findMount(m.mountPoint)) {
    await runProgram(['umount', m.mountPoint]);
    say(`unmounted ${m.mountPoint}`);
  }
  await runProgram(['sync']);
  removeMarker(); // before setro, so a change event cannot exempt it again
  if (existsSync(m.disk)) {
    const d = findDisk(m.disk);
    for (const p of d.partitions) await runProgram(['blockdev', '--setro', p.path]);
    await runProgram(['blockdev', '--setro', d.path]);
    say(`${m.disk} is read-only again; it can be unplugged`);
  }
  return m;
}
