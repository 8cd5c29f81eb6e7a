// SPDX-License-Identifier: GPL-3.0-or-later
// APFS in `responder mount`: the container superblock found on its own and inside a GPT partition
// of Apple's APFS type (real containers made by apfsprogs' mkapfs, compared with blkid -p), the
// mount options (never `readwrite`; vol=/snap= that cannot smuggle options), the refusal text for
// a whole Mac disk, and the clear line when the apfs module is missing or refused.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileReader, bufferReader, windowReader } from '../../src/responder/disk/reader.js';
import { probeFilesystem } from '../../src/responder/disk/probe.js';
import { readPartitionTable } from '../../src/responder/disk/partitions.js';
import { ALWAYS, parseApfsChoices, planMount } from '../../src/responder/mount/plan.js';
import { explainNoFilesystem } from '../../src/responder/mount/explain.js';
import { ensureFilesystemDriver, filesystemRegistered } from '../../src/responder/mount/kernel-module.js';
import type { ResolvedSource } from '../../src/responder/mount/source.js';

const dir = mkdtempSync(path.join(tmpdir(), 'responder-apfs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const APFS_GUID = '7C3457EF-0000-11AA-AA11-00306543ECAC';
const MKAPFS = ['/usr/sbin/mkapfs', '/sbin/mkapfs'].find((p) => {
  try {
    execFileSync(p, ['-h'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    return (err as { status?: number }).status !== undefined;
  }
});

function mkapfs(file: string, mib: number): string {
  writeFileSync(file, '');
  truncateSync(file, mib << 20);
  execFileSync(MKAPFS!, ['-L', 'EVAPFS', file], { stdio: 'ignore' });
  return file;
}

function blkidUuid(file: string): string {
  return execFileSync('blkid', ['-p', '-s', 'UUID', '-o', 'value', file], { encoding: 'utf8' }).trim();
}

/** A synthetic container superblock: just what the prober reads. */
function nxsb(blockSize = 4096, blocks = 32768): Buffer {
  const b = Buffer.alloc(4096);
  b.write('NXSB', 32, 'latin1');
  b.writeUInt32LE(blockSize, 36);
  b.writeBigUInt64LE(BigInt(blocks), 40);
  Buffer.from('00112233445566778899aabbccddeeff', 'hex').copy(b, 72);
  return b;
}

describe('APFS detection', () => {
  it('a container superblock ("NXSB" at byte 32 of block 0)', () => {
    expect(probeFilesystem(bufferReader(nxsb()))).toEqual({ type: 'apfs', uuid: '00112233-4455-6677-8899-aabbccddeeff', blockSize: 4096, fsSize: 32768 * 4096 });
    const wrong = nxsb();
    wrong.write('NXSC', 32, 'latin1');
    expect(probeFilesystem(bufferReader(wrong))).toBeUndefined();
  });

  it.skipIf(!MKAPFS)('a real container made by mkapfs, as blkid -p sees it', () => {
    const file = mkapfs(path.join(dir, 'c.apfs'), 128);
    const r = FileReader.open(file);
    try {
      expect(probeFilesystem(r)).toMatchObject({ type: 'apfs', uuid: blkidUuid(file), blockSize: 4096, fsSize: 128 << 20 });
    } finally {
      r.close();
    }
  });

  it.skipIf(!MKAPFS)('inside a GPT partition of the APFS type; a whole Mac disk says which partition to mount', () => {
    const disk = path.join(dir, 'mac.raw');
    writeFileSync(disk, '');
    truncateSync(disk, 200 << 20);
    execFileSync('sgdisk', ['-n', '1:2048:+20M', '-t', '1:EF00', '-n', `2:0:0`, '-t', `2:${APFS_GUID}`, disk], { stdio: 'ignore' });
    const r = FileReader.open(disk);
    try {
      const table = readPartitionTable(r)!;
      const p2 = table.partitions.find((p) => p.number === 2)!;
      expect(p2.type).toBe(APFS_GUID);
      const container = mkapfs(path.join(dir, 'p2.apfs'), p2.size >> 20);
      execFileSync('dd', [`if=${container}`, `of=${disk}`, 'bs=1M', `seek=${p2.start >> 20}`, 'conv=notrunc,sparse', 'status=none']);
      const r2 = FileReader.open(disk);
      try {
        expect(probeFilesystem(windowReader(r2, p2.start, p2.size))?.type).toBe('apfs');
        expect(probeFilesystem(r2)).toBeUndefined(); // the protective MBR is no file system
        const whole: ResolvedSource = { path: disk, kind: 'file', offset: 0, size: r2.size };
        expect(explainNoFilesystem(disk, whole, readPartitionTable(r2))).toBe(
          `it holds a GPT partition table, not a file system (partitions 1: EFI system, 2: APFS): mount one partition, e.g. responder mount ${disk}:2`,
        );
      } finally {
        r2.close();
      }
    } finally {
      r.close();
    }
  });

  it('an APFS-typed partition without a container superblock is named as such', () => {
    const src: ResolvedSource = { path: '/x.raw', kind: 'file', partition: 2, partitionType: APFS_GUID, offset: 1 << 20, size: 1 << 20 };
    expect(explainNoFilesystem('/x.raw:2', src, undefined)).toMatch(/partition type says APFS, but there is no APFS container superblock \(NXSB\)/);
    expect(explainNoFilesystem('/x.raw:2', { ...src, partitionType: '0FC63DAF-8483-4772-8E79-3D69D8477DE4' }, undefined)).toBeUndefined();
  });
});

describe('APFS mount options', () => {
  const apfs = { type: 'apfs' };
  it('read-only with the VFS safety flags and nothing the driver would reject; never readwrite', () => {
    const plan = planMount(apfs);
    expect(plan).toMatchObject({ ok: true, program: 'mount', fstype: 'apfs', module: 'apfs', options: [...ALWAYS] });
    expect(plan.ok && plan.options).toEqual(['ro', 'noexec', 'nodev', 'nosuid']);
  });

  it('a volume and a snapshot', () => {
    const plan = planMount(apfs, { volume: 2, snapshot: 'com.apple.TimeMachine.2024-05-01' });
    expect(plan.ok && plan.options).toEqual(['ro', 'noexec', 'nodev', 'nosuid', 'vol=2', 'snap=com.apple.TimeMachine.2024-05-01']);
    for (const choice of [{}, { volume: 1 }, { snapshot: 's' }]) {
      const p = planMount(apfs, choice);
      expect(p.ok && p.options.filter((o) => /readwrite|^rw$/.test(o))).toEqual([]);
    }
  });

  it('--volume/--snapshot values that could inject options are refused', () => {
    expect(parseApfsChoices('3', 'snap-1')).toEqual({ volume: 3, snapshot: 'snap-1' });
    expect(parseApfsChoices(undefined, undefined)).toEqual({});
    for (const v of ['-1', 'x', '1,readwrite', '1.5', '']) expect(parseApfsChoices(v, undefined)).toMatch(/^--volume: not a volume number/);
    for (const s of ['a,readwrite', 'a b', '', 'a\nb', 'a"b']) expect(parseApfsChoices(undefined, s)).toMatch(/^--snapshot: .*cannot be passed safely/);
  });

  it('--volume on something that is not APFS is refused', () => {
    expect(planMount({ type: 'ext4' }, { volume: 1 })).toEqual({ ok: false, reason: '--volume and --snapshot are for APFS containers, and this is ext4' });
    expect(planMount({ type: 'ext4' })).toMatchObject({ ok: true, options: [...ALWAYS, 'noload'] });
  });
});

describe('the apfs kernel module', () => {
  const PROC = 'nodev\tsysfs\nnodev\tproc\n\text4\n\tvfat\n';
  it('reads /proc/filesystems', () => {
    expect(filesystemRegistered(PROC, 'ext4')).toBe(true);
    expect(filesystemRegistered(PROC, 'apfs')).toBe(false);
    expect(filesystemRegistered(`${PROC}\tapfs\n`, 'apfs')).toBe(true);
    expect(filesystemRegistered('nodev\tapfsx\n', 'apfs')).toBe(false);
  });

  it('already registered: no modprobe', async () => {
    let loads = 0;
    await ensureFilesystemDriver('apfs', 'apfs', { filesystems: () => `${PROC}\tapfs\n`, modprobe: async () => loads++ });
    expect(loads).toBe(0);
  });

  it('loaded on demand', async () => {
    let text = PROC;
    await ensureFilesystemDriver('apfs', 'apfs', { filesystems: () => text, modprobe: async () => (text += '\tapfs\n') });
    expect(text).toContain('apfs');
  });

  it("missing: one clear line with modprobe's reason", async () => {
    const err = await ensureFilesystemDriver('apfs', 'apfs', {
      filesystems: () => PROC,
      modprobe: () => Promise.reject(new Error('modprobe apfs failed: modprobe: FATAL: Module apfs not found in directory /lib/modules/6.1.0-28-amd64')),
    }).catch((e: unknown) => e as Error & { hint?: string });
    expect(err?.message).toBe('the apfs kernel module is not available on this system: modprobe: FATAL: Module apfs not found in directory /lib/modules/6.1.0-28-amd64');
    expect(err?.hint).toMatch(/apfs-dkms/);
  });

  it('refused by Secure Boot lockdown: the hint says so', async () => {
    const err = await ensureFilesystemDriver('apfs', 'apfs', {
      filesystems: () => PROC,
      modprobe: () => Promise.reject(new Error("modprobe apfs failed: modprobe: ERROR: could not insert 'apfs': Key was rejected by service")),
    }).catch((e: unknown) => e as Error & { hint?: string });
    expect(err?.message).toMatch(/^the apfs kernel module is not available on this system: .*Key was rejected by service$/);
    expect(err?.hint).toMatch(/Secure Boot/);
  });
});
