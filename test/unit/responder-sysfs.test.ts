// SPDX-License-Identifier: GPL-3.0-or-later
// /sys/class/block reading on a fake sysfs tree (the host's kernel here does not create partition
// devices for loop devices): nesting of partitions, model/serial sources for SATA, NVMe and
// virtio, and the "what is under this file system" walk used by acquire's output guard.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const sys = mkdtempSync(path.join(tmpdir(), 'fake-sys-'));
afterAll(() => rmSync(sys, { recursive: true, force: true }));

function files(dir: string, entries: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(entries)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
}

function disk(real: string, name: string, devno: string, extra: Record<string, string | Buffer>, parts: [string, string, number, number][] = []): void {
  const dir = path.join(sys, real, name);
  files(dir, {
    size: '2048\n',
    ro: '0\n',
    removable: '0\n',
    dev: `${devno}\n`,
    uevent: `MAJOR=x\nDEVNAME=${name}\n`,
    'queue/logical_block_size': '512\n',
    'queue/physical_block_size': '4096\n',
    'queue/rotational': '0\n',
    ...extra,
  });
  mkdirSync(path.join(sys, 'class/block'), { recursive: true });
  mkdirSync(path.join(sys, 'dev/block'), { recursive: true });
  symlinkSync(dir, path.join(sys, 'class/block', name));
  symlinkSync(dir, path.join(sys, 'dev/block', devno));
  for (const [p, pdev, num, start] of parts) {
    files(path.join(dir, p), { size: '1000\n', ro: '1\n', dev: `${pdev}\n`, partition: `${num}\n`, start: `${start}\n`, uevent: `DEVNAME=${p}\n` });
    symlinkSync(path.join(dir, p), path.join(sys, 'class/block', p));
    symlinkSync(path.join(dir, p), path.join(sys, 'dev/block', pdev));
  }
}

let mod: typeof import('../../src/responder/disk/sysfs.js');
beforeAll(async () => {
  const vpd = Buffer.concat([Buffer.from([0, 0x80, 0, 8]), Buffer.from('WD-12345')]);
  disk('devices/pci0/ata1/block', 'sda', '8:0', { 'device/vendor': 'ATA     \n', 'device/model': 'WDC WD10EZEX\n', 'device/vpd_pg80': vpd, removable: '1\n' }, [
    ['sda1', '8:1', 1, 2048],
    ['sda2', '8:2', 2, 4096],
  ]);
  disk('devices/pci0/nvme/nvme0/block', 'nvme0n1', '259:0', { 'device/model': 'Samsung SSD 980\n', 'device/serial': 'S64ANS0T\n' }, [['nvme0n1p1', '259:1', 1, 2048]]);
  disk('devices/pci0/virtio/block', 'vda', '254:0', { serial: 'disk-serial\n' });
  disk('devices/virtual/block', 'dm-0', '253:0', { 'slaves/.keep': '' });
  symlinkSync(path.join(sys, 'class/block/sda2'), path.join(sys, 'devices/virtual/block/dm-0/slaves/sda2'));
  vi.stubEnv('RESPONDER_SYSFS', sys);
  mod = await import('../../src/responder/disk/sysfs.js');
});

describe('sysfs', () => {
  it('lists disks with partitions nested and the facts a responder needs', () => {
    const devs = mod.listBlockDevices();
    expect(devs.map((d) => d.name)).toEqual(['dm-0', 'nvme0n1', 'sda', 'vda']);
    const sda = devs.find((d) => d.name === 'sda')!;
    expect(sda).toMatchObject({
      path: '/dev/sda',
      devno: '8:0',
      size: 2048 * 512,
      removable: true,
      readOnly: false,
      logicalSectorSize: 512,
      physicalSectorSize: 4096,
      model: 'WDC WD10EZEX',
      serial: 'WD-12345',
      rotational: false,
    });
    expect(sda.partitions.map((p) => [p.name, p.partition, p.readOnly, p.size])).toEqual([
      ['sda1', { number: 1, start: 2048 * 512, parent: 'sda' }, true, 1000 * 512],
      ['sda2', { number: 2, start: 4096 * 512, parent: 'sda' }, true, 1000 * 512],
    ]);
    expect(devs.find((d) => d.name === 'nvme0n1')).toMatchObject({ model: 'Samsung SSD 980', serial: 'S64ANS0T' });
    expect(devs.find((d) => d.name === 'vda')).toMatchObject({ serial: 'disk-serial' });
  });

  it('a partition looked up by number carries its disk model and serial', () => {
    expect(mod.deviceByNumber('259:1')).toMatchObject({ name: 'nvme0n1p1', serial: 'S64ANS0T', partition: { number: 1, parent: 'nvme0n1' } });
    expect(mod.deviceByNumber('9:9')).toBeUndefined();
  });

  it('underlying(): a device-mapper volume on sda2 is on sda', () => {
    const u = mod.underlying('253:0');
    expect([...u.devices].sort()).toEqual(['253:0', '8:0', '8:2']);
  });

  it('devnoString decodes Linux dev_t', () => {
    expect(mod.devnoString(0x0801)).toBe('8:1');
    expect(mod.devnoString((259 << 8) | 1)).toBe('259:1');
    expect(mod.devnoString((7 << 8) | 0x100000)).toBe('7:256');
  });
});
