// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { buildQemuArgv } from '../../src/builder/qemu/argv.js';
import { parseDiskSpec } from '../../src/builder/qemu/cli-boot-test.js';
import { hotplugCommands } from '../../src/builder/qemu/hotplug.js';

describe('disk hot-plug through QMP', () => {
  it('adds a raw block node, then a virtio disk on its own PCIe root port', () => {
    expect(hotplugCommands({ path: '/x/hot.img', interface: 'virtio', serial: 'HOT1' }, 0)).toEqual([
      { execute: 'blockdev-add', arguments: { driver: 'raw', 'node-name': 'hot0', 'read-only': false, file: { driver: 'file', filename: '/x/hot.img' } } },
      { execute: 'device_add', arguments: { driver: 'virtio-blk-pci', id: 'hotdev0', bus: 'hotplug0', drive: 'hot0', serial: 'HOT1' } },
    ]);
  });

  it('gives an NVMe disk a serial number (QEMU requires one)', () => {
    const [, dev] = hotplugCommands({ path: '/x/n.img', interface: 'nvme' }, 1);
    expect(dev!.arguments).toMatchObject({ driver: 'nvme', bus: 'hotplug1', drive: 'hot1', serial: 'FLHOT1' });
  });

  it('refuses interfaces QEMU cannot hot-plug here', () => {
    expect(() => hotplugCommands({ path: '/x', interface: 'ahci' }, 0)).toThrow(/cannot hot-plug/);
  });
});

describe('removable USB disks', () => {
  it('parses removable and passes it to usb-storage', () => {
    const d = parseDiskSpec('file=/e/s.img,if=usb,serial=S1,removable');
    expect(d).toEqual({ path: '/e/s.img', interface: 'usb', serial: 'S1', removable: true });
    const argv = buildQemuArgv({ iso: '/i.iso', firmware: 'bios', media: 'cdrom', disks: [d], accel: 'tcg', consoleLog: 'c', resultsLog: 'r', fwCfg: [] });
    expect(argv).toContain('usb-storage,bus=xhci.0,drive=disk0,serial=S1,removable=on');
  });

  it('passes removable to a scsi disk (a card reader: no USB enumeration delay)', () => {
    const d = parseDiskSpec('file=/e/i.iso,if=scsi,serial=S2,removable');
    const argv = buildQemuArgv({ iso: '/i.iso', firmware: 'bios', media: 'cdrom', disks: [d], accel: 'tcg', consoleLog: 'c', resultsLog: 'r', fwCfg: [] });
    expect(argv).toContain('scsi-hd,drive=disk0,bus=scsi0.0,serial=S2,removable=on');
  });
});
