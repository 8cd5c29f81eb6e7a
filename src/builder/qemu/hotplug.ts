// SPDX-License-Identifier: GPL-3.0-or-later
// Hot-adding disks to a running guest through the QMP monitor, for tests of what an image does
// with a disk plugged in after boot (forensic mode must make it read-only at once).
// Each disk goes onto its own free PCIe root port (argv.ts `hotplugPorts`): q35's root bus
// refuses hot-plug, and AHCI/IDE disks cannot be hot-plugged in QEMU at all.
import { UserError } from '../errors.js';
import type { DiskInterface, DiskSpec } from './argv.js';
import { qmpExecute } from './monitor.js';

export const HOTPLUG_INTERFACES: readonly DiskInterface[] = ['virtio', 'nvme'];

export interface QmpCommand {
  execute: string;
  arguments: Record<string, unknown>;
}

/** The QMP commands that attach `spec` as hot-plugged disk number `index` (port hotplug<index>). */
export function hotplugCommands(spec: DiskSpec, index: number): QmpCommand[] {
  if (!HOTPLUG_INTERFACES.includes(spec.interface)) {
    throw new UserError(`cannot hot-plug a disk with if=${spec.interface}`, `hot-plug supports ${HOTPLUG_INTERFACES.join(', ')}`, 2);
  }
  const node = `hot${index}`;
  const device: Record<string, unknown> = {
    driver: spec.interface === 'virtio' ? 'virtio-blk-pci' : 'nvme',
    id: `hotdev${index}`,
    bus: `hotplug${index}`,
    drive: node,
  };
  // QEMU refuses an NVMe controller without a serial number.
  const serial = spec.serial ?? (spec.interface === 'nvme' ? `FLHOT${index}` : undefined);
  if (serial !== undefined) device.serial = serial;
  return [
    {
      execute: 'blockdev-add',
      arguments: { driver: spec.format ?? 'raw', 'node-name': node, 'read-only': spec.readonly ?? false, file: { driver: 'file', filename: spec.path } },
    },
    { execute: 'device_add', arguments: device },
  ];
}

/** Attaches every disk in order; the first failure rejects (with QEMU's message). */
export async function hotplugDisks(socketPath: string, disks: readonly DiskSpec[]): Promise<void> {
  for (const [i, d] of disks.entries()) {
    for (const c of hotplugCommands(d, i)) await qmpExecute(socketPath, c.execute, c.arguments);
  }
}
