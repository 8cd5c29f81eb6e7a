// SPDX-License-Identifier: GPL-3.0-or-later
// The collection disk's guards without a disk: the boot medium, a mounted disk, a partition, a
// wrong serial and a non-empty disk are refused; --erase names what it destroys; the writable
// count is one with a prepared collection disk and zero otherwise.
import { describe, expect, it } from 'vitest';
import { checkCandidate } from '../../src/responder/collect/check.js';
import { parseMarker, markerText, type Marker } from '../../src/responder/collect/marker.js';
import { writableDisks } from '../../src/responder/collect/writable.js';
import type { DeviceReport } from '../../src/responder/disk/report.js';
import type { BlockDevice } from '../../src/responder/disk/sysfs.js';

function disk(name: string, extra: Partial<DeviceReport> = {}): DeviceReport {
  return { name, path: `/dev/${name}`, devno: '8:0', size: 8 * 2 ** 30, readOnly: true, removable: true, logicalSectorSize: 512, physicalSectorSize: 512, serial: 'USB123', partitions: [], ...extra };
}

const facts = (d: DeviceReport, more: { bootDisk?: string; mounted?: string[] } = {}) => ({ disk: d, bootDisk: more.bootDisk, mountedDisks: new Set(more.mounted ?? []) });

describe('collection disk candidate', () => {
  it('accepts an empty disk whose serial matches (positive control)', () => {
    expect(checkCandidate(facts(disk('sdc')), { serial: 'USB123', erase: false })).toEqual([]);
  });

  it('refuses the boot medium, a mounted disk, a partition and a wrong serial', () => {
    expect(() => checkCandidate(facts(disk('sdb'), { bootDisk: '/dev/sdb' }), { serial: 'USB123', erase: true })).toThrow(/refusing \/dev\/sdb: the live system booted from it/);
    expect(() => checkCandidate(facts(disk('sda'), { mounted: ['/dev/sda'] }), { serial: 'USB123', erase: true })).toThrow(/something on it is mounted/);
    const part = disk('sdc1', { partition: { number: 1, start: 1 << 20, parent: '/dev/sdc' } });
    expect(() => checkCandidate(facts(part), { serial: 'USB123', erase: true })).toThrow(/is a partition: name the whole disk \(\/dev\/sdc\)/);
    expect(() => checkCandidate(facts(disk('sdc')), { serial: 'USB124', erase: true })).toThrow(/its serial is "USB123", not "USB124"/);
    expect(() => checkCandidate(facts(disk('sdc', { serial: undefined })), { serial: 'none', erase: false })).not.toThrow();
  });

  it('refuses a disk with a partition table or a file system unless --erase, and then lists them', () => {
    const used = disk('sdc', { partitionTable: 'gpt', partitions: [disk('sdc1', { fsType: 'ntfs', label: 'DATA', partition: { number: 1, start: 1 << 20, parent: '/dev/sdc' }, size: 1000 })] });
    expect(() => checkCandidate(facts(used), { serial: 'USB123', erase: false })).toThrow(/not empty \(\/dev\/sdc: gpt partition table; \/dev\/sdc1: partition 1, 1000 bytes, ntfs, label "DATA"\)/);
    expect(checkCandidate(facts(used), { serial: 'USB123', erase: true })).toEqual(['/dev/sdc: gpt partition table', '/dev/sdc1: partition 1, 1000 bytes, ntfs, label "DATA"']);
    const bare = disk('sdd', { fsType: 'exfat' });
    expect(() => checkCandidate(facts(bare), { serial: 'USB123', erase: false })).toThrow(/exfat \(on the whole disk\)/);
  });
});

describe('writable disk count', () => {
  const m: Marker = { disk: '/dev/vdc', devpath: '/devices/x/block/vdc', size: 1, serial: 'COLL1', mountPoint: '/mnt/collection' };
  const dev = (name: string, readOnly: boolean, partitions: BlockDevice[] = []): BlockDevice => ({ ...disk(name), readOnly, partitions });
  it('zero without a collection disk, one with it, and any other writable disk is a warning', () => {
    expect(writableDisks(undefined, [dev('vda', true), dev('sr0', false), dev('zram0', false)]).summary).toMatch(/^writable disks: 0/);
    const one = writableDisks(m, [dev('vda', true), dev('vdc', false, [dev('vdc1', false)])]);
    expect(one).toMatchObject({ ok: true, writable: ['/dev/vdc'] });
    expect(one.summary).toMatch(/^writable disks: 1 \(the collection disk \/dev\/vdc/);
    const bad = writableDisks(m, [dev('vda', true, [dev('vda1', false)]), dev('vdc', false)]);
    expect(bad).toMatchObject({ ok: false, unexpected: ['/dev/vda'] });
    expect(bad.summary).toMatch(/^WARNING: writable disk\(s\) other than the collection disk: \/dev\/vda/);
  });

  it('the marker round-trips', () => {
    expect(parseMarker(markerText(m))).toEqual(m);
    expect(parseMarker('garbage')).toBeUndefined();
  });
});
