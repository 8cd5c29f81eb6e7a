// SPDX-License-Identifier: GPL-3.0-or-later
// The superblock parsers on real file systems made here with the real mkfs tools (on image files:
// no root, no loop devices), compared field by field with util-linux's `blkid -p`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileReader, bufferReader } from '../../src/responder/disk/reader.js';
import { probeFilesystem } from '../../src/responder/disk/probe.js';

const dir = mkdtempSync(path.join(tmpdir(), 'responder-probe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function blkid(file: string): Record<string, string> {
  let out = '';
  try {
    out = execFileSync('blkid', ['-p', '-o', 'export', file], { encoding: 'utf8' });
  } catch (err) {
    const e = err as { status?: number; stdout?: string };
    if (e.status === 2) return {}; // nothing found
    throw err;
  }
  return Object.fromEntries(
    out
      .trim()
      .split('\n')
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

function image(name: string, mib: number, mkfs: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, '');
  truncateSync(file, mib * 1024 * 1024);
  execFileSync(mkfs[0]!, [...mkfs.slice(1), file], { stdio: 'ignore' });
  return file;
}

function ours(file: string) {
  const r = FileReader.open(file);
  try {
    return probeFilesystem(r);
  } finally {
    r.close();
  }
}

const cases: { name: string; mib: number; mkfs: string[]; label?: string }[] = [
  { name: 'ext2', mib: 8, mkfs: ['mkfs.ext2', '-q', '-F', '-L', 'evid-ext2'], label: 'evid-ext2' },
  { name: 'ext3', mib: 8, mkfs: ['mkfs.ext3', '-q', '-F', '-L', 'evid-ext3'], label: 'evid-ext3' },
  { name: 'ext4', mib: 16, mkfs: ['mkfs.ext4', '-q', '-F', '-L', 'evidence'], label: 'evidence' },
  { name: 'xfs', mib: 300, mkfs: ['mkfs.xfs', '-q', '-f', '-L', 'xfsev'], label: 'xfsev' },
  { name: 'vfat16', mib: 32, mkfs: ['mkfs.vfat', '-F', '16', '-n', 'USBSTICK'], label: 'USBSTICK' },
  { name: 'vfat32', mib: 64, mkfs: ['mkfs.vfat', '-F', '32', '-n', 'EFI'], label: 'EFI' },
  { name: 'vfat12', mib: 2, mkfs: ['mkfs.vfat', '-F', '12'] },
  { name: 'ntfs', mib: 16, mkfs: ['mkntfs', '-q', '-F', '-f', '-L', 'Windows'], label: 'Windows' },
  { name: 'exfat', mib: 16, mkfs: ['mkfs.exfat', '-L', 'CAMERA'], label: 'CAMERA' },
  { name: 'btrfs', mib: 128, mkfs: ['mkfs.btrfs', '-q', '-f', '-L', 'data'], label: 'data' },
  { name: 'swap', mib: 8, mkfs: ['mkswap', '-L', 'swp'], label: 'swp' },
];

describe('file system signatures match blkid -p', () => {
  for (const c of cases) {
    it(c.name, () => {
      const file = image(`${c.name}.img`, c.mib, c.mkfs);
      const want = blkid(file);
      const got = ours(file);
      expect(got?.type).toBe(want.TYPE);
      expect(got?.uuid).toBe(want.UUID);
      expect(got?.label).toBe(want.LABEL);
      if (c.label) expect(got?.label).toBe(c.label);
    });
  }

  it('iso9660 (xorriso)', () => {
    const src = path.join(dir, 'isosrc');
    execFileSync('mkdir', ['-p', src]);
    writeFileSync(path.join(src, 'hello.txt'), 'hi\n');
    const file = path.join(dir, 'cd.iso');
    execFileSync('xorriso', ['-as', 'mkisofs', '-quiet', '-V', 'CASE_42', '-o', file, src], { stdio: 'ignore' });
    const want = blkid(file);
    const got = ours(file);
    expect(got?.type).toBe('iso9660');
    expect(got?.label).toBe(want.LABEL);
    expect(got?.uuid).toBe(want.UUID);
  });

  it('ext4 with a dirty journal is flagged', () => {
    const file = image('dirty.img', 16, ['mkfs.ext4', '-q', '-F']);
    const fd = FileReader.open(file);
    const sb = Buffer.from(fd.read(1024, 1024));
    fd.close();
    sb.writeUInt32LE(sb.readUInt32LE(0x60) | 0x4, 0x60); // EXT4_FEATURE_INCOMPAT_RECOVER
    const whole = Buffer.alloc(4096);
    sb.copy(whole, 1024);
    expect(probeFilesystem(bufferReader(whole))).toMatchObject({ type: 'ext4', dirty: true });
  });
});

describe('containers that must never be mounted directly', () => {
  it('LVM2 PV label', () => {
    const b = Buffer.alloc(8192);
    b.write('LABELONE', 512, 'latin1');
    b.writeUInt32LE(32, 512 + 20);
    b.write('LVM2 001', 512 + 24, 'latin1');
    b.write('abcdef1234567890ABCDEF1234567890', 512 + 32, 'latin1');
    expect(probeFilesystem(bufferReader(b))).toMatchObject({ type: 'LVM2_member', uuid: 'abcdef-1234-5678-90AB-CDEF-1234-567890' });
  });

  it('md 1.2 superblock wins over a file system inside', () => {
    const file = image('md.img', 16, ['mkfs.ext4', '-q', '-F']);
    const r = FileReader.open(file);
    const b = Buffer.from(r.read(0, 16 * 1024 * 1024));
    r.close();
    b.writeUInt32LE(0xa92b4efc, 4096);
    b.writeUInt32LE(1, 4100);
    Buffer.from('00112233445566778899aabbccddeeff', 'hex').copy(b, 4096 + 16);
    b.write('host:0', 4096 + 32, 'latin1');
    expect(probeFilesystem(bufferReader(b))).toMatchObject({ type: 'linux_raid_member', version: '1.2', uuid: '00112233-4455-6677-8899-aabbccddeeff', label: 'host:0' });
  });

  it('LUKS header', () => {
    const b = Buffer.alloc(4096);
    Buffer.from([0x4c, 0x55, 0x4b, 0x53, 0xba, 0xbe, 0, 2]).copy(b);
    b.write('6d3c5f5e-0000-4000-8000-000000000001', 168, 'latin1');
    expect(probeFilesystem(bufferReader(b))).toMatchObject({ type: 'crypto_LUKS', version: '2' });
  });

  it('truncated and empty input yields nothing, never a throw', () => {
    expect(probeFilesystem(bufferReader(Buffer.alloc(0)))).toBeUndefined();
    expect(probeFilesystem(bufferReader(Buffer.alloc(100, 0xff)))).toBeUndefined();
    const ext = Buffer.alloc(1024 + 0x3a);
    ext.writeUInt16LE(0xef53, 1024 + 0x38);
    expect(() => probeFilesystem(bufferReader(ext))).not.toThrow();
  });
});
