// SPDX-License-Identifier: GPL-3.0-or-later
// Hostile and broken ELF files: each must come back as "malformed" with a reason, quickly, without
// an exception escaping and without allocating what the header claims.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectBuffer } from '../../src/responder/elf/inspect.js';

/** A small valid ELF64 little-endian PIE: PT_LOAD, PT_INTERP, PT_DYNAMIC, 5 sections. Offsets are returned for patching. */
function miniElf() {
  const interp = Buffer.from('/lib/ld.so\0');
  const dynstr = Buffer.from('\0libc.so.6\0libfoo.so\0$ORIGIN/lib\0');
  const shstr = Buffer.from('\0.interp\0.dynstr\0.dynamic\0.shstrtab\0');
  const align8 = (n: number) => (n + 7) & ~7;
  const phoff = 64;
  const interpOff = phoff + 3 * 56;
  const dynstrOff = interpOff + interp.length;
  const dynOff = align8(dynstrOff + dynstr.length);
  const dynEntries: [bigint, bigint][] = [
    [1n, 1n], // NEEDED libc.so.6
    [1n, 11n], // NEEDED libfoo.so
    [29n, 21n], // RUNPATH $ORIGIN/lib
    [5n, 0x400000n + BigInt(dynstrOff)], // STRTAB (virtual address)
    [10n, BigInt(dynstr.length)], // STRSZ
    [0x6ffffffbn, 0x08000000n], // FLAGS_1 = PIE
    [0n, 0n],
  ];
  const shstrOff = dynOff + dynEntries.length * 16;
  const shoff = align8(shstrOff + shstr.length);
  const shnum = 5;
  const size = shoff + shnum * 64;
  const b = Buffer.alloc(size);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
  b.writeUInt16LE(3, 16); // ET_DYN
  b.writeUInt16LE(62, 18); // x86-64
  b.writeUInt32LE(1, 20);
  b.writeBigUInt64LE(0x1040n, 24); // entry
  b.writeBigUInt64LE(BigInt(phoff), 32);
  b.writeBigUInt64LE(BigInt(shoff), 40);
  b.writeUInt16LE(64, 52);
  b.writeUInt16LE(56, 54);
  b.writeUInt16LE(3, 56);
  b.writeUInt16LE(64, 58);
  b.writeUInt16LE(shnum, 60);
  b.writeUInt16LE(4, 62); // shstrndx
  const ph = (i: number, type: number, off: number, vaddr: bigint, filesz: number) => {
    const o = phoff + i * 56;
    b.writeUInt32LE(type, o);
    b.writeBigUInt64LE(BigInt(off), o + 8);
    b.writeBigUInt64LE(vaddr, o + 16);
    b.writeBigUInt64LE(vaddr, o + 24);
    b.writeBigUInt64LE(BigInt(filesz), o + 32);
    b.writeBigUInt64LE(BigInt(filesz), o + 40);
  };
  ph(0, 1, 0, 0x400000n, size);
  ph(1, 3, interpOff, 0x400000n + BigInt(interpOff), interp.length);
  ph(2, 2, dynOff, 0x400000n + BigInt(dynOff), dynEntries.length * 16);
  interp.copy(b, interpOff);
  dynstr.copy(b, dynstrOff);
  dynEntries.forEach(([t, v], i) => {
    b.writeBigInt64LE(t, dynOff + i * 16);
    b.writeBigUInt64LE(v, dynOff + i * 16 + 8);
  });
  shstr.copy(b, shstrOff);
  const sh = (i: number, name: number, type: number, off: number, sz: number) => {
    const o = shoff + i * 64;
    b.writeUInt32LE(name, o);
    b.writeUInt32LE(type, o + 4);
    b.writeBigUInt64LE(BigInt(off), o + 24);
    b.writeBigUInt64LE(BigInt(sz), o + 32);
  };
  sh(1, 1, 1, interpOff, interp.length);
  sh(2, 9, 3, dynstrOff, dynstr.length);
  sh(3, 17, 6, dynOff, dynEntries.length * 16);
  sh(4, 26, 3, shstrOff, shstr.length);
  return { b, phoff, shoff, dynOff, interpOff, dynstrOff, shstrOff };
}

function check(name: string, buf: Buffer, reason: RegExp) {
  const t0 = performance.now();
  const r = inspectBuffer(name, buf);
  expect(performance.now() - t0).toBeLessThan(200);
  expect(r.status, JSON.stringify(r.reason)).toBe('malformed');
  expect(r.reason).toMatch(reason);
  return r;
}

describe('ELF parser on crafted files', () => {
  it('parses the valid baseline completely', () => {
    const r = inspectBuffer('mini', miniElf().b);
    expect(r.status).toBe('ok');
    expect(r).toMatchObject({
      class: 'ELF64',
      endianness: 'little',
      machine: 'x86-64',
      type: 'DYN',
      pie: true,
      entry: '0x1040',
      interpreter: '/lib/ld.so',
      needed: ['libc.so.6', 'libfoo.so'],
      runpath: '$ORIGIN/lib',
      soname: null,
      linking: 'dynamic',
      stripped: true,
    });
    expect(r.sections!.map((s) => s.name)).toEqual(['', '.interp', '.dynstr', '.dynamic', '.shstrtab']);
  });

  it('truncated header', () => {
    const { b } = miniElf();
    check('trunc', b.subarray(0, 40), /truncated ELF header/);
    expect(inspectBuffer('tiny', b.subarray(0, 10)).status).toBe('malformed');
    expect(inspectBuffer('three', b.subarray(0, 3)).status).toBe('not-elf');
  });

  it('e_shoff past the end of the file', () => {
    const { b } = miniElf();
    b.writeBigUInt64LE(BigInt(b.length + 4096), 40);
    check('shoff', b, /past the end of the file/);
  });

  it('e_shoff near 2^64 (no overflow, no huge read)', () => {
    const { b } = miniElf();
    b.writeBigUInt64LE(0xffff_ffff_ffff_ff00n, 40);
    check('shoff64', b, /past the end/);
  });

  it('e_shnum huge, directly and through section 0', () => {
    const a = miniElf();
    a.b.writeUInt16LE(0xfffe, 60);
    check('shnum', a.b, /section header table .* extends past the end/);
    const z = miniElf();
    z.b.writeUInt16LE(0, 60); // extended numbering: count in section 0's sh_size
    z.b.writeBigUInt64LE(1n << 40n, z.shoff + 32);
    check('shnum-x', z.b, /implausibly large/);
  });

  it('e_phnum huge and program headers pointing outside the file', () => {
    const a = miniElf();
    a.b.writeUInt16LE(0xfff0, 56);
    check('phnum', a.b, /program header table .* extends past the end/);
    const o = miniElf();
    o.b.writeBigUInt64LE(0x7fff_0000n, o.phoff + 56 + 8); // PT_INTERP p_offset
    check('interp-out', o.b, /program header 1 .* points outside the file/);
  });

  it('DT_STRTAB outside every PT_LOAD, string offsets past DT_STRSZ', () => {
    const a = miniElf();
    a.b.writeBigUInt64LE(0xdead0000n, a.dynOff + 3 * 16 + 8);
    check('strtab', a.b, /DT_STRTAB address 0xdead0000 is not inside any PT_LOAD/);
    const s = miniElf();
    s.b.writeBigUInt64LE(0x10000n, s.dynOff + 8); // first DT_NEEDED offset
    check('needed-off', s.b, /DT_NEEDED: string offset 0x10000 is outside its string table/);
    const z = miniElf();
    z.b.writeBigUInt64LE(1n << 50n, z.dynOff + 4 * 16 + 8); // DT_STRSZ
    check('strsz', z.b, /DT_STRSZ .* past the end of its PT_LOAD/);
  });

  it('unterminated strings and section names out of range', () => {
    const a = miniElf();
    a.b.fill(0x41, a.interpOff, a.interpOff + 11); // interpreter without its NUL
    check('interp', a.b, /PT_INTERP: string at 0x0 is not NUL-terminated/);
    const n = miniElf();
    n.b.writeUInt32LE(0x100000, n.shoff + 2 * 64); // section 2 name offset
    check('shname', n.b, /section 2 name: string offset 0x100000 is outside/);
    const i = miniElf();
    i.b.writeUInt16LE(77, 62); // e_shstrndx
    check('shstrndx', i.b, /e_shstrndx 77 is not a section/);
  });

  it('self-reference and overlapping tables', () => {
    const x = miniElf();
    x.b.writeUInt16LE(0xffff, 62); // SHN_XINDEX -> section 0's sh_link, which is 0: itself
    check('xindex', x.b, /self-reference/);
    const o = miniElf();
    o.b.writeBigUInt64LE(BigInt(o.phoff), 40); // section headers on top of the program headers
    check('overlap', o.b, /overlaps/);
    const h = miniElf();
    h.b.writeBigUInt64LE(8n, 32); // program headers inside the ELF header
    check('phoff-in-header', h.b, /overlaps the ELF header/);
  });

  it('a dynamic table without DT_NULL is bounded by its segment', () => {
    const d = miniElf();
    d.b.writeBigInt64LE(1n, d.dynOff + 6 * 16); // replace DT_NULL by one more DT_NEEDED (offset 0 = "")
    const r = inspectBuffer('no-null', d.b);
    expect(r.status).toBe('ok');
    expect(r.warnings.join()).toMatch(/no DT_NULL/);
  });

  it('every truncation of a real binary is reported, never thrown', () => {
    const real = readFileSync('/usr/bin/true');
    const t0 = performance.now();
    for (let len = 0; len < real.length; len += Math.max(1, Math.floor(real.length / 400))) {
      const r = inspectBuffer('cut', real.subarray(0, len));
      expect(['malformed', 'not-elf', 'ok']).toContain(r.status);
      if (len > 0 && len < 64) expect(r.status).not.toBe('ok');
    }
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('random corruption of header fields never throws or hangs', () => {
    const real = readFileSync('/usr/bin/true');
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const t0 = performance.now();
    for (let k = 0; k < 1500; k++) {
      const b = Buffer.from(real);
      const hits = 1 + Math.floor(rnd() * 4);
      for (let j = 0; j < hits; j++) {
        // Aim at the headers and tables, where the structure lives.
        const region = rnd() < 0.5 ? 64 + 14 * 56 : b.length;
        b[Math.floor(rnd() * region)] = Math.floor(rnd() * 256);
      }
      const r = inspectBuffer('fuzz', b);
      expect(['ok', 'malformed', 'not-elf']).toContain(r.status);
      if (r.status !== 'ok') expect(r.reason).toBeTruthy();
      expect(r.reason ?? '').not.toMatch(/could not be parsed/); // no internal error slipped through
    }
    expect(performance.now() - t0).toBeLessThan(10_000);
  }, 30_000); // its own 10 s bound above; vitest's default 5 s is too tight on a loaded machine
});

describe('inspectFile on things that are not regular files', () => {
  it('reports a FIFO, a directory and a missing file as unreadable without blocking', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { execFileSync } = await import('node:child_process');
    const os = await import('node:os');
    const { inspectFile } = await import('../../src/responder/elf/inspect.js');
    const dir = mkdtempSync(`${os.tmpdir()}/elf-fifo-`);
    try {
      execFileSync('mkfifo', [`${dir}/fifo`]);
      expect(inspectFile(`${dir}/fifo`)).toMatchObject({ status: 'unreadable', reason: 'not a regular file' });
      expect(inspectFile(dir)).toMatchObject({ status: 'unreadable' });
      expect(inspectFile(`${dir}/missing`)).toMatchObject({ status: 'unreadable', reason: 'no such file' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
