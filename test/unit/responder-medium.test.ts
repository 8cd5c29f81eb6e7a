// SPDX-License-Identifier: GPL-3.0-or-later
// `responder medium`'s parts that need no medium: the ISO's length from its head, the mount
// source from mountinfo, the whole disk behind a partition (a fake /sys), and the hash of exactly
// the ISO's length on something bigger. The real ISO is covered by test/e2e/16-medium.test.ts.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isoExtent } from '../../src/responder/medium/iso-length.js';
import { findMount, wholeDisk } from '../../src/responder/medium/device.js';
import { cachedMedium, hashIsoOn } from '../../src/responder/medium/medium.js';

/** A head with a primary volume descriptor (BLOCKS x 2048) and, optionally, a GPT whose backup header sits at BACKUP_LBA. */
function head(blocks: number | undefined, backupLba?: number, size = 64 * 1024): Buffer {
  const b = Buffer.alloc(size);
  if (blocks !== undefined) {
    b[32768] = 1;
    b.write('CD001', 32769, 'latin1');
    b.writeUInt32LE(blocks, 32768 + 80);
    b.writeUInt32BE(blocks, 32768 + 84);
    b.writeUInt16LE(2048, 32768 + 128);
    b.write('TEST_LIVE'.padEnd(32), 32768 + 40, 'latin1');
  }
  if (backupLba !== undefined) {
    b.write('EFI PART', 512, 'latin1');
    b.writeBigUInt64LE(1n, 512 + 24);
    b.writeBigUInt64LE(BigInt(backupLba), 512 + 32);
  }
  return b;
}

describe('isoExtent', () => {
  it('takes the length from the ISO 9660 volume space size (xorriso counts the ESP and backup GPT in it)', () => {
    // As measured on a built minimal.iso: 116358 blocks, backup GPT header at LBA 465431: the same end.
    expect(isoExtent(head(116358, 465431))).toEqual({ bytes: 238301184, from: 'iso9660', volumeId: 'TEST_LIVE' });
    expect(isoExtent(head(100))).toEqual({ bytes: 204800, from: 'iso9660', volumeId: 'TEST_LIVE' });
  });

  it('uses the backup GPT header when it lies beyond the volume (appended partitions not counted)', () => {
    expect(isoExtent(head(100, 999))).toEqual({ bytes: 512_000, from: 'gpt', volumeId: 'TEST_LIVE' });
  });

  it('refuses what is not the start of an ISO: no descriptor, a short read, a zero size', () => {
    expect(() => isoExtent(head(undefined))).toThrow(/no ISO 9660 volume descriptor at byte 32768/);
    expect(() => isoExtent(head(100).subarray(0, 33000))).toThrow(/no ISO 9660/);
    expect(() => isoExtent(head(0))).toThrow(/implausible/);
  });
});

describe('findMount', () => {
  const mountinfo = [
    '22 1 0:21 / / rw,relatime shared:1 - overlay overlay rw',
    '30 22 11:0 / /run/live/medium ro,noatime shared:5 - iso9660 /dev/sr0 ro',
    '31 22 8:1 / /mnt/with\\040space ro - ext4 /dev/sda1 ro',
    '32 30 8:17 / /run/live/medium ro - iso9660 /dev/sdb1 ro',
  ].join('\n');

  it('finds the source of a mount point (the last mount on it wins), unescaping names', () => {
    expect(findMount('/run/live/medium', mountinfo)).toEqual({ source: '/dev/sdb1', devno: '8:17', fsType: 'iso9660' });
    expect(findMount('/mnt/with space', mountinfo)).toEqual({ source: '/dev/sda1', devno: '8:1', fsType: 'ext4' });
    expect(findMount('/nowhere', mountinfo)).toBeUndefined();
  });
});

describe('wholeDisk', () => {
  it('maps a partition to its disk and a disk to itself through /sys/dev/block', () => {
    const sys = mkdtempSync(path.join(tmpdir(), 'fl-sys-'));
    mkdirSync(path.join(sys, 'devices/usb/block/sdb/sdb1'), { recursive: true });
    writeFileSync(path.join(sys, 'devices/usb/block/sdb/sdb1/partition'), '1\n');
    mkdirSync(path.join(sys, 'devices/ata/block/sr0'), { recursive: true });
    mkdirSync(path.join(sys, 'dev/block'), { recursive: true });
    symlinkSync('../../devices/usb/block/sdb/sdb1', path.join(sys, 'dev/block/8:17'));
    symlinkSync('../../devices/usb/block/sdb', path.join(sys, 'dev/block/8:16'));
    symlinkSync('../../devices/ata/block/sr0', path.join(sys, 'dev/block/11:0'));
    expect(wholeDisk('8:17', sys)).toBe('/dev/sdb');
    expect(wholeDisk('8:16', sys)).toBe('/dev/sdb');
    expect(wholeDisk('11:0', sys)).toBe('/dev/sr0');
  });
});

describe('hashIsoOn', () => {
  it('hashes exactly the ISO, not what follows it on a bigger stick, and names a too-short medium', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-medium-'));
    const iso = head(40); // 40 x 2048 = 81920 bytes
    const body = Buffer.concat([iso, Buffer.alloc(81920 - iso.length, 7)]);
    writeFileSync(path.join(dir, 'x.iso'), body);
    writeFileSync(path.join(dir, 'stick.img'), Buffer.concat([body, Buffer.alloc(100_000, 0xee)]));
    writeFileSync(path.join(dir, 'short.img'), body.subarray(0, 70_000));
    const want = createHash('sha256').update(body).digest('hex');
    expect(await hashIsoOn(path.join(dir, 'x.iso'))).toMatchObject({ isoBytes: 81920, sha256: want });
    expect(await hashIsoOn(path.join(dir, 'stick.img'))).toMatchObject({ isoBytes: 81920, sha256: want });
    await expect(hashIsoOn(path.join(dir, 'short.img'))).rejects.toThrow(/short\.img: ends after 70000 bytes, but its ISO claims 81920/);
  });
});

describe('cachedMedium', () => {
  it("answers from this boot's cache for the same mount point, and computes again (nothing mounted: undefined) otherwise", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-cache-'));
    const cacheFile = path.join(dir, 'medium.json');
    const mountPoint = path.join(dir, 'not-mounted');
    const cached = { device: '/dev/sr0', isoBytes: 1, lengthFrom: 'iso9660', volumeId: 'X', sha256: 'f'.repeat(64), mountPoint, mounted: '/dev/sr0', computedAt: 'then', durationMs: 1 };
    writeFileSync(cacheFile, JSON.stringify(cached));
    expect(await cachedMedium({ cacheFile, mountPoint })).toEqual(cached);
    expect(await cachedMedium({ cacheFile, mountPoint, refresh: true })).toBeUndefined();
    expect(await cachedMedium({ cacheFile, mountPoint: path.join(dir, 'elsewhere') })).toBeUndefined();
    writeFileSync(cacheFile, '{ damaged');
    expect(await cachedMedium({ cacheFile, mountPoint })).toBeUndefined();
  });
});
