// SPDX-License-Identifier: GPL-3.0-or-later
// `responder elf`'s parser against binutils' readelf (the reference, run here in the test only) on
// real binaries of this machine: executables from /usr/bin and shared libraries.
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readSync, realpathSync as realpathOrThrow, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectFile, type ElfReport } from '../../src/responder/elf/inspect.js';

const hasReadelf = (() => {
  try {
    execFileSync('readelf', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function isElf(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    const fd = openSync(file, 'r');
    const b = Buffer.alloc(4);
    readSync(fd, b, 0, 4, 0);
    closeSync(fd);
    return b.equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } catch {
    return false;
  }
}

/** 24 ELF executables spread evenly over /usr/bin (sorted, so the choice is stable on a machine), plus known ones. */
/** The file a host path ends at ("" for a dangling link, which isElf refuses). */
function realpathSync(p: string): string {
  try {
    return realpathOrThrow(p);
  } catch {
    return '';
  }
}

function pickBinaries(): string[] {
  // Real files only: inspectFile reports a symlink as a link (responder-elf-budget.test.ts).
  const all = [
    ...new Set(
      readdirSync('/usr/bin')
        .sort()
        .map((n) => realpathSync(path.join('/usr/bin', n))),
    ),
  ].filter(isElf);
  const step = Math.max(1, Math.floor(all.length / 24));
  const picked = all.filter((_, i) => i % step === 0).slice(0, 24);
  // Ones with RUNPATH and a static-pie on Debian bookworm, when present.
  for (const f of ['/usr/bin/busctl', '/usr/bin/expr', '/usr/sbin/ldconfig', '/usr/bin/node'].filter(existsSync).map((f) => realpathSync(f))) if (isElf(f) && !picked.includes(f)) picked.push(f);
  return picked;
}

function pickLibraries(): string[] {
  const dir = '/usr/lib/x86_64-linux-gnu';
  const wanted = ['libc.so.6', 'libz.so.1', 'libm.so.6', 'libselinux.so.1', 'libcrypto.so.3', 'libstdc++.so.6'];
  const found = existsSync(dir) ? wanted.map((n) => realpathSync(path.join(dir, n))).filter(isElf) : [];
  // Elsewhere (another architecture), any few real .so files.
  if (found.length < 2) {
    for (const d of ['/lib', '/usr/lib']) {
      try {
        for (const n of readdirSync(d)
          .filter((x) => /\.so(\.\d+)*$/.test(x))
          .slice(0, 4))
          if (isElf(path.join(d, n))) found.push(realpathSync(path.join(d, n)));
      } catch {
        /* not there */
      }
    }
  }
  return found;
}

interface Reference {
  class: string;
  machine: string;
  type: string;
  pie: boolean;
  entry: string;
  interpreter: string | null;
  needed: string[];
  soname: string | null;
  rpath: string | null;
  runpath: string | null;
  sections: string[];
}

function readelf(file: string): Reference {
  const out = execFileSync('readelf', ['-d', '-h', '-l', '-S', '--wide', file], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' }, maxBuffer: 64 << 20 });
  const field = (label: string) => new RegExp(`^\\s*${label}:\\s*(.*)$`, 'm').exec(out)?.[1]?.trim() ?? '';
  const typeText = field('Type');
  const dyn = (kind: string) => [...out.matchAll(new RegExp(`\\(${kind}\\)\\s+[^\\[]*\\[(.*)\\]`, 'g'))].map((m) => m[1]!);
  const sections: string[] = [];
  for (const m of out.matchAll(/^\s*\[\s*(\d+)\]\s+(\S+)\s+\S+\s+[0-9a-f]+\s/gm)) if (m[1] !== '0') sections.push(m[2]!);
  return {
    class: field('Class'),
    machine: field('Machine'),
    type: typeText.split(' ')[0]!,
    pie: typeText.includes('Position-Independent'),
    entry: field('Entry point address'),
    interpreter: /\[Requesting program interpreter: (.*)\]/.exec(out)?.[1] ?? null,
    needed: dyn('NEEDED'),
    soname: dyn('SONAME')[0] ?? null,
    rpath: dyn('RPATH')[0] ?? null,
    runpath: dyn('RUNPATH')[0] ?? null,
    sections,
  };
}

function compare(file: string, ours: ElfReport, ref: Reference): void {
  expect(ours.status, `${file}: ${ours.reason}`).toBe('ok');
  expect(ours.class).toBe(ref.class);
  expect(ours.machineDescription).toBe(ref.machine);
  expect(ours.type).toBe(ref.type);
  expect(ours.pie).toBe(ref.pie);
  expect(ours.entry).toBe(ref.entry);
  expect(ours.interpreter).toBe(ref.interpreter);
  expect(ours.needed).toEqual(ref.needed);
  expect(ours.soname).toBe(ref.soname);
  expect(ours.rpath).toBe(ref.rpath);
  expect(ours.runpath).toBe(ref.runpath);
  expect(ours.sections!.filter((s) => s.index > 0).map((s) => s.name)).toEqual(ref.sections);
  expect(ours.sha256).toMatch(/^[0-9a-f]{64}$/);
}

describe.skipIf(!hasReadelf)('responder elf agrees with readelf on real binaries', () => {
  const binaries = pickBinaries();
  const libraries = pickLibraries();

  it('finds at least 20 executables and 2 shared libraries to compare', () => {
    expect(binaries.length).toBeGreaterThanOrEqual(20);
    expect(libraries.length).toBeGreaterThanOrEqual(2);
  });

  it.each(binaries.map((f) => [f]))('%s', (file) => {
    compare(file, inspectFile(file), readelf(file));
  });

  it.each(libraries.map((f) => [f]))('%s', (file) => {
    const ours = inspectFile(file);
    compare(file, ours, readelf(file));
    expect(ours.soname).not.toBeNull();
  });

  it('classifies linking: dynamic executables, static-pie ldconfig, shared libraries', () => {
    const ls = inspectFile(realpathSync('/usr/bin/ls'));
    expect(ls.linking).toBe('dynamic');
    expect(ls.staticallyLinked).toBe(false);
    if (isElf('/usr/sbin/ldconfig')) {
      const ldconfig = inspectFile(realpathSync('/usr/sbin/ldconfig'));
      const ref = execFileSync('readelf', ['-l', '/usr/sbin/ldconfig'], { encoding: 'utf8' });
      if (!ref.includes('INTERP')) expect(ldconfig.staticallyLinked).toBe(true);
    }
  });

  it('says stripped exactly when there is no .symtab section', () => {
    for (const f of [...binaries, ...libraries]) {
      const ours = inspectFile(f);
      expect(ours.stripped).toBe(!ours.sections!.some((s) => s.name === '.symtab'));
    }
  });
});
