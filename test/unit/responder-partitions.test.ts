// SPDX-License-Identifier: GPL-3.0-or-later
// MBR (with logical partitions) and GPT tables made by sfdisk/sgdisk, compared with sfdisk --json.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileReader, bufferReader } from '../../src/responder/disk/reader.js';
import { readPartitionTable } from '../../src/responder/disk/partitions.js';

const dir = mkdtempSync(path.join(tmpdir(), 'responder-parts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function sfdiskJson(file: string) {
  return JSON.parse(execFileSync('sfdisk', ['--json', file], { encoding: 'utf8' })).partitiontable as { label: string; partitions: { node: string; start: number; size: number; type: string }[] };
}

function ours(file: string) {
  const r = FileReader.open(file);
  try {
    return readPartitionTable(r);
  } finally {
    r.close();
  }
}

describe('partition tables', () => {
  it('MBR with an extended partition and logical partitions', () => {
    const f = path.join(dir, 'mbr.raw');
    execFileSync('truncate', ['-s', '64M', f]);
    execFileSync('sfdisk', ['-q', f], { input: 'label: dos\n,8M,83\n,8M,7\n,+,5\n,10M,82\n,10M,83\n' });
    const want = sfdiskJson(f);
    const got = ours(f)!;
    expect(got.scheme).toBe('dos');
    const num = (node: string) => Number(/(\d+)$/.exec(node)![1]);
    expect(got.partitions.map((p) => [p.number, p.start / 512, p.size / 512])).toEqual(want.partitions.map((p) => [num(p.node), p.start, p.size]));
    expect(got.partitions.map((p) => p.type)).toEqual(['83', '07', '05', '82', '83']);
  });

  it('GPT', () => {
    const f = path.join(dir, 'gpt.raw');
    execFileSync('truncate', ['-s', '64M', f]);
    execFileSync('sgdisk', ['-n', '1:2048:+10M', '-t', '1:ef00', '-c', '1:EFI system', '-n', '2:0:+20M', '-t', '2:8300', '-c', '2:root', f], { stdio: 'ignore' });
    const want = sfdiskJson(f);
    const got = ours(f)!;
    expect(got.scheme).toBe('gpt');
    expect(got.partitions.map((p) => [p.start / 512, p.size / 512, p.type])).toEqual(want.partitions.map((p) => [p.start, p.size, p.type]));
    expect(got.partitions.map((p) => p.name)).toEqual(['EFI system', 'root']);
  });

  it('garbage, a FAT boot sector and a looping EBR chain do not crash or hang', () => {
    expect(readPartitionTable(bufferReader(Buffer.alloc(0)))).toBeUndefined();
    const boot = Buffer.alloc(512);
    boot.writeUInt16LE(0xaa55, 510);
    boot[446] = 0x12; // a status byte no partition table has: this is a boot sector
    expect(readPartitionTable(bufferReader(boot))).toBeUndefined();
    const loop = Buffer.alloc(4096);
    loop.writeUInt16LE(0xaa55, 510);
    loop[446 + 4] = 0x05;
    loop.writeUInt32LE(1, 446 + 8);
    loop.writeUInt32LE(6, 446 + 12);
    // The EBR at sector 1 points to itself as "next".
    loop.writeUInt16LE(0xaa55, 512 + 510);
    loop[512 + 446 + 4] = 0x83;
    loop.writeUInt32LE(1, 512 + 446 + 8);
    loop.writeUInt32LE(1, 512 + 446 + 12);
    loop[512 + 462 + 4] = 0x05;
    loop.writeUInt32LE(0, 512 + 462 + 8);
    const t = readPartitionTable(bufferReader(loop))!;
    expect(t.partitions.length).toBeLessThan(10);
  });
});
