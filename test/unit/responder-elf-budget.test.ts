// SPDX-License-Identifier: GPL-3.0-or-later
// `responder elf` on hostile input, run as the responder runs it (the bundled CLI in a child
// process): a 4 MB ELF whose tables point tens of thousands of entries at one long string must
// stay within a few hundred MB and a few seconds, and a good file in the same run is still
// reported. Symlinks are reported as links, or resolved only inside --root.
import { copyFileSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUNDLE, ensureBundle, runResponder } from '../helpers/responder-run.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'elf-budget-'));

/**
 * ELF64 LE, 4 MiB: one 16,000-byte string; a dynamic section of 65,000 DT_NEEDED entries all
 * naming it; 40,000 section headers all overlapping it and all named by it (e_shstrndx = 1).
 */
function hostileElf(): Buffer {
  const size = 4 << 20;
  const b = Buffer.alloc(size);
  const strOff = 4096;
  const strLen = 16_000;
  b.fill(0x41, strOff, strOff + strLen); // "AAAA...", NUL after it
  const dynOff = 32_768;
  const dynCount = 65_000;
  const shoff = dynOff + (dynCount + 2) * 16;
  const shnum = 40_000;
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  b.writeUInt16LE(3, 16);
  b.writeUInt16LE(62, 18);
  b.writeUInt32LE(1, 20);
  b.writeBigUInt64LE(64n, 32); // e_phoff
  b.writeBigUInt64LE(BigInt(shoff), 40);
  b.writeUInt16LE(64, 52);
  b.writeUInt16LE(56, 54);
  b.writeUInt16LE(2, 56); // e_phnum
  b.writeUInt16LE(64, 58);
  b.writeUInt16LE(shnum, 60);
  b.writeUInt16LE(1, 62); // e_shstrndx
  const ph = (i: number, type: number, off: number, filesz: number) => {
    const o = 64 + i * 56;
    b.writeUInt32LE(type, o);
    b.writeBigUInt64LE(BigInt(off), o + 8);
    b.writeBigUInt64LE(BigInt(off), o + 16);
    b.writeBigUInt64LE(BigInt(filesz), o + 32);
  };
  ph(0, 1, 0, size); // PT_LOAD, identity-mapped
  ph(1, 2, dynOff, (dynCount + 2) * 16); // PT_DYNAMIC
  b.writeBigInt64LE(5n, dynOff); // DT_STRTAB
  b.writeBigUInt64LE(BigInt(strOff), dynOff + 8);
  for (let i = 1; i <= dynCount; i++) b.writeBigInt64LE(1n, dynOff + i * 16); // DT_NEEDED, offset 0
  for (let i = 1; i < shnum; i++) {
    const o = shoff + i * 64;
    b.writeUInt32LE(0, o); // sh_name: the long string
    b.writeUInt32LE(3, o + 4); // SHT_STRTAB
    b.writeBigUInt64LE(BigInt(strOff), o + 24);
    b.writeBigUInt64LE(BigInt(strLen + 1), o + 32);
  }
  return b;
}

describe('responder elf budget', () => {
  it('a crafted 4 MB ELF stays under 300 MB and a few seconds; the good file beside it is reported', () => {
    ensureBundle();
    const bad = path.join(tmp, 'hostile');
    writeFileSync(bad, hostileElf());
    const good = path.join(tmp, 'true');
    copyFileSync('/usr/bin/true', good);
    const t0 = Date.now();
    // GNU time's %M: the child's peak resident set, in KiB.
    const res = spawnSync('/usr/bin/time', ['-f', 'MAXRSS %M', process.execPath, BUNDLE, 'elf', bad, good, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const seconds = (Date.now() - t0) / 1000;
    const kib = Number(/MAXRSS (\d+)/.exec(res.stderr)?.[1]);
    expect(res.status, res.stderr).toBe(1);
    const reports = JSON.parse(res.stdout) as { file: string; status: string; reason?: string; needed?: string[] }[];
    expect(reports.map((r) => r.status)).toEqual(['malformed', 'ok']);
    expect(reports[0]!.reason).toMatch(/budget|implausibly|more than/);
    expect(reports[1]!.needed).toContain('libc.so.6');
    expect(kib).toBeGreaterThan(10_000); // the measurement itself works
    expect(kib / 1024).toBeLessThan(300);
    expect(seconds).toBeLessThan(10);
  }, 60_000);

  it('a symlink is reported as a link without --root, and resolved only inside ROOT with it', async () => {
    const root = path.join(tmp, 'root');
    mkdirSync(path.join(root, 'usr/bin'), { recursive: true });
    mkdirSync(path.join(root, 'etc'), { recursive: true });
    copyFileSync('/usr/bin/true', path.join(root, 'usr/bin/true'));
    writeFileSync(path.join(root, 'etc/shadow'), 'evidence, not ELF\n');
    symlinkSync('/etc/shadow', path.join(root, 'usr/bin/x')); // the analyst's /etc/shadow if followed
    symlinkSync('/usr/bin/true', path.join(root, 'usr/bin/t'));
    symlinkSync('../../../../../../../../usr/bin/true', path.join(root, 'usr/bin/up'));
    symlinkSync('/nowhere', path.join(root, 'usr/bin/gone'));
    const plain = await runResponder(['elf', path.join(root, 'usr/bin/x'), '--json']);
    const p = JSON.parse(plain.stdout.toString()) as { status: string; linkTarget: string; sha256?: string }[];
    expect(p[0]).toMatchObject({ status: 'symlink', linkTarget: '/etc/shadow' });
    expect(p[0]!.sha256).toBeUndefined();
    expect(plain.code).toBe(1);

    const rooted = await runResponder(['elf', '--root', root, path.join(root, 'usr/bin/x'), '/usr/bin/t', '/usr/bin/up', '/usr/bin/gone', '--json']);
    const q = JSON.parse(rooted.stdout.toString()) as { status: string; resolved?: string; reason?: string }[];
    expect(q[0]).toMatchObject({ status: 'not-elf', resolved: '/etc/shadow' }); // the evidence's own file
    expect(q[1]).toMatchObject({ status: 'ok', resolved: '/usr/bin/true' });
    expect(q[2]).toMatchObject({ status: 'ok', resolved: '/usr/bin/true' }); // ".." stops at ROOT
    expect(q[3]).toMatchObject({ status: 'symlink' });
    expect(q[3]!.reason).toMatch(/dangling/);
  }, 60_000);
});
