// SPDX-License-Identifier: GPL-3.0-or-later
// The count a responder (and the self-test) checks: exactly one writable disk (the collection
// disk) when one is prepared, none otherwise. Memory devices, optical drives, empty devices and
// unattached loop devices hold no evidence and are not counted (as in selftest.d/51).
import { listBlockDevices, type BlockDevice } from '../disk/sysfs.js';
import type { Marker } from './marker.js';

export function countsAsDisk(d: BlockDevice): boolean {
  if (/^(ram|zram|sr)/.test(d.name) || d.size === 0) return false;
  return !d.name.startsWith('loop') || Boolean(d.backingFile);
}

export function writableDisks(marker: Marker | undefined, devices: BlockDevice[] = listBlockDevices()): { writable: string[]; unexpected: string[]; ok: boolean; summary: string } {
  const writable: string[] = [];
  for (const d of devices.filter(countsAsDisk)) {
    if (!d.readOnly || d.partitions.some((p) => !p.readOnly)) writable.push(d.path);
  }
  const unexpected = writable.filter((p) => p !== marker?.disk);
  const ok = unexpected.length === 0;
  const summary = !ok
    ? `WARNING: writable disk(s) other than the collection disk: ${unexpected.join(', ')} (every evidence disk should be read-only)`
    : marker
      ? `writable disks: ${writable.length} (the collection disk ${marker.disk}, serial ${marker.serial}, on ${marker.mountPoint}); every other disk is read-only`
      : `writable disks: 0; every disk is read-only (no collection disk prepared)`;
  return { writable, unexpected, ok, summary };
}
