// SPDX-License-Identifier: GPL-3.0-or-later
// The runtime marker that exempts exactly the collection disk from forensic mode's udev rule:
// /run/forensic-live/collection-disk (RAM: gone at power-off) names the disk by its /sys device
// path and size. The rule's helper (/usr/lib/forensic-live/is-collection-disk) compares both for
// the disk and its partitions on every add/change event (mkfs and partprobe cause them), so the
// disk stays writable while every other disk is still re-marked read-only.
import { mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { SYS } from '../disk/sysfs.js';

export const MARKER = process.env.RESPONDER_COLLECTION_MARKER ?? '/run/forensic-live/collection-disk';
/** Where the collection disk is mounted (RESPONDER_COLLECTION_MOUNT overrides it, for tests). */
export const MOUNT_POINT = process.env.RESPONDER_COLLECTION_MOUNT ?? '/mnt/collection';

export interface Marker {
  /** /dev/NAME of the whole disk. */
  disk: string;
  /** Its /sys device path without /sys, as udev's DEVPATH: /devices/pci0000:00/.../block/vdb. */
  devpath: string;
  size: number;
  serial: string;
  mountPoint: string;
}

export function devpathOf(name: string): string {
  return realpathSync(path.join(SYS, 'class/block', name)).slice(SYS.length);
}

/** KEY=VALUE lines, simple for the shell helper to read. */
export function markerText(m: Marker): string {
  return `disk=${m.disk}\ndevpath=${m.devpath}\nsize=${m.size}\nserial=${m.serial}\nmountpoint=${m.mountPoint}\n`;
}

export function parseMarker(text: string): Marker | undefined {
  const kv = Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  if (!kv.disk || !kv.devpath || !kv.size) return undefined;
  return { disk: kv.disk, devpath: kv.devpath, size: Number(kv.size), serial: kv.serial ?? '', mountPoint: kv.mountpoint || MOUNT_POINT };
}

export function readMarker(): Marker | undefined {
  try {
    return parseMarker(readFileSync(MARKER, 'utf8'));
  } catch {
    return undefined;
  }
}

export function writeMarker(m: Marker): void {
  mkdirSync(path.dirname(MARKER), { recursive: true, mode: 0o755 });
  writeFileSync(MARKER, markerText(m), { mode: 0o644 });
}

export function removeMarker(): void {
  rmSync(MARKER, { force: true });
}
