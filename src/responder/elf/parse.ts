// SPDX-License-Identifier: GPL-3.0-or-later
// ELF triage by parsing only: the file is read, never executed, never handed to ldd/readelf.
//
// Evidence binaries are hostile input. Every offset and size from the file is checked against the
// file's real size before anything is read or allocated, every count is capped, strings must end
// inside their table, and no structure is followed more than once (the only indirection, section
// 0's extended counts, is resolved one level deep). A bad file ends in MalformedElf with a reason;
// any other exception from a bug is also turned into "malformed" by the caller, never a crash.
import {
  DF_1_PIE,
  DT_FLAGS_1,
  DT_NEEDED,
  DT_NULL,
  DT_RPATH,
  DT_RUNPATH,
  DT_SONAME,
  DT_STRSZ,
  DT_STRTAB,
  MACHINES,
  OSABI,
  PN_XNUM,
  PT_DYNAMIC,
  PT_INTERP,
  PT_LOAD,
  SHN_XINDEX,
  SHT_NOBITS,
  SHT_SYMTAB,
  TYPES,
} from './constants.js';
import { hex, MalformedElf, NotElf, overlaps, Reader, readString, type ByteSource } from './reader.js';

export { MalformedElf, NotElf, type ByteSource } from './reader.js';

// Caps: far above anything a real toolchain writes, far below what would hurt.
const MAX_PHNUM = 65_536;
const MAX_SHNUM = 262_144;
const MAX_DYN_ENTRIES = 65_536;
const MAX_NEEDED = 4_096;

export interface ElfSection {
  index: number;
  name: string;
  type: number;
  offset: number;
  size: number;
}

export interface ElfInfo {
  class?: 'ELF32' | 'ELF64';
  endianness?: 'little' | 'big';
  osabi?: string;
  type?: string;
  typeCode?: number;
  machine?: string;
  machineCode?: number;
  machineDescription?: string;
  entry?: string;
  interpreter?: string | null;
  needed?: string[];
  soname?: string | null;
  rpath?: string | null;
  runpath?: string | null;
  pie?: boolean;
  linking?: 'dynamic' | 'static' | 'static-pie' | 'not-linked';
  staticallyLinked?: boolean;
  stripped?: boolean;
  sections?: ElfSection[];
  segments?: number;
  warnings: string[];
}

interface Phdr {
  type: number;
  offset: bigint;
  vaddr: bigint;
  filesz: bigint;
}

/** Parse an ELF file. Fills `info` as it goes, so a malformed file still shows what was readable. */
export function parseElf(src: ByteSource, info: ElfInfo = { warnings: [] }): ElfInfo {
  if (src.size < 4) throw new NotElf(`not an ELF file (${src.size} bytes)`);
  const ident = src.read(0, Math.min(16, src.size));
  if (ident[0] !== 0x7f || ident[1] !== 0x45 || ident[2] !== 0x4c || ident[3] !== 0x46) throw new NotElf('not an ELF file (no \\x7fELF magic)');
  if (src.size < 16) throw new MalformedElf(`truncated: ${src.size} bytes, the ELF identification alone is 16`);
  const cls = ident[4];
  const data = ident[5];
  if (cls !== 1 && cls !== 2) throw new MalformedElf(`invalid EI_CLASS ${cls}`);
  if (data !== 1 && data !== 2) throw new MalformedElf(`invalid EI_DATA ${data}`);
  const is64 = cls === 2;
  info.class = is64 ? 'ELF64' : 'ELF32';
  info.endianness = data === 1 ? 'little' : 'big';
  info.osabi = OSABI[ident[7]!] ?? `unknown (${ident[7]})`;
  if (ident[6] !== 1) info.warnings.push(`EI_VERSION is ${ident[6]}, expected 1`);
  const r = new Reader(src, data === 1);

  const ehSize = is64 ? 64 : 52;
  if (src.size < ehSize) throw new MalformedElf(`truncated ELF header: ${src.size} bytes, ${info.class} needs ${ehSize}`);
  const eh = r.bytes(0n, BigInt(ehSize), 'ELF header');
  const typeCode = r.u16(eh, 16);
  const machineCode = r.u16(eh, 18);
  info.typeCode = typeCode;
  info.type = TYPES[typeCode] ?? (typeCode >= 0xfe00 ? `OS/processor specific (${hex(typeCode)})` : `unknown (${typeCode})`);
  info.machineCode = machineCode;
  const m = MACHINES[machineCode];
  info.machine = m?.[0] ?? `unknown (${machineCode})`;
  info.machineDescription = m?.[1] ?? `machine ${machineCode}`;
  const entry = is64 ? r.u64(eh, 24) : BigInt(r.u32(eh, 24));
  info.entry = hex(entry);
  const phoff = is64 ? r.u64(eh, 32) : BigInt(r.u32(eh, 28));
  const shoff = is64 ? r.u64(eh, 40) : BigInt(r.u32(eh, 32));
  const o = is64 ? 52 : 40; // e_ehsize
  const phentsize = r.u16(eh, o + 2);
  let phnum = r.u16(eh, o + 4);
  const shentsize = r.u16(eh, o + 6);
  let shnum = r.u16(eh, o + 8);
  let shstrndx = r.u16(eh, o + 10);
  const phStd = is64 ? 56 : 32;
  const shStd = is64 ? 64 : 40;

  // Section 0 carries the real counts when they do not fit the header (gABI extended numbering).
  let sh0: Buffer | undefined;
  if (shoff !== 0n) {
    if (shentsize < shStd) throw new MalformedElf(`e_shentsize ${shentsize} is smaller than a ${info.class} section header (${shStd})`);
    sh0 = r.bytes(shoff, BigInt(shStd), 'section header 0 (e_shoff)');
    if (shnum === 0) {
      const real = is64 ? r.u64(sh0, 32) : BigInt(r.u32(sh0, 20));
      if (real > BigInt(MAX_SHNUM)) throw new MalformedElf(`section count ${real} (from section 0) is implausibly large`);
      shnum = Number(real);
    }
    if (shstrndx === SHN_XINDEX) {
      shstrndx = r.u32(sh0, is64 ? 40 : 24);
      if (shstrndx === 0) throw new MalformedElf('e_shstrndx is SHN_XINDEX and section 0 points back to itself (self-reference)');
    }
    if (phnum === PN_XNUM) phnum = r.u32(sh0, is64 ? 44 : 28);
  } else if (shnum !== 0) {
    info.warnings.push(`e_shnum is ${shnum} but there is no section header table (e_shoff 0)`);
    shnum = 0;
  }
  if (phnum > MAX_PHNUM) throw new MalformedElf(`program header count ${phnum} is implausibly large`);
  if (shnum > MAX_SHNUM) throw new MalformedElf(`section count ${shnum} is implausibly large`);

  // Tables: inside the file, not overlapping the header or each other.
  const phBytes = BigInt(phnum) * BigInt(phentsize);
  const shBytes = BigInt(shnum) * BigInt(shentsize);
  if (phnum > 0) {
    if (phentsize < phStd) throw new MalformedElf(`e_phentsize ${phentsize} is smaller than a ${info.class} program header (${phStd})`);
    if (phoff === 0n) throw new MalformedElf(`e_phnum is ${phnum} but e_phoff is 0`);
    r.bytes(phoff, 0n, 'program header table'); // offset check before the size check below
    if (phoff + phBytes > BigInt(src.size)) throw new MalformedElf(`program header table (offset ${hex(phoff)}, ${phnum} × ${phentsize} bytes) extends past the end of the file (${src.size} bytes)`);
    if (overlaps(phoff, phoff + phBytes, 0n, BigInt(ehSize))) throw new MalformedElf('program header table overlaps the ELF header');
  }
  if (shnum > 0) {
    if (shoff + shBytes > BigInt(src.size)) throw new MalformedElf(`section header table (offset ${hex(shoff)}, ${shnum} × ${shentsize} bytes) extends past the end of the file (${src.size} bytes)`);
    if (overlaps(shoff, shoff + shBytes, 0n, BigInt(ehSize))) throw new MalformedElf('section header table overlaps the ELF header');
    if (phnum > 0 && overlaps(shoff, shoff + shBytes, phoff, phoff + phBytes)) throw new MalformedElf('section header table overlaps the program header table');
  }

  // Program headers.
  const phdrs: Phdr[] = [];
  if (phnum > 0) {
    const tab = r.bytes(phoff, phBytes, 'program header table');
    for (let i = 0; i < phnum; i++) {
      const b = i * phentsize;
      const p: Phdr = is64
        ? { type: r.u32(tab, b), offset: r.u64(tab, b + 8), vaddr: r.u64(tab, b + 16), filesz: r.u64(tab, b + 32) }
        : { type: r.u32(tab, b), offset: BigInt(r.u32(tab, b + 4)), vaddr: BigInt(r.u32(tab, b + 8)), filesz: BigInt(r.u32(tab, b + 16)) };
      if (p.filesz > 0n && p.offset + p.filesz > BigInt(src.size)) {
        throw new MalformedElf(`program header ${i} (type ${hex(p.type)}) points outside the file: offset ${hex(p.offset)} + ${p.filesz} bytes > ${src.size}`);
      }
      phdrs.push(p);
    }
  }
  info.segments = phdrs.length;
  const interps = phdrs.filter((p) => p.type === PT_INTERP);
  const dynamics = phdrs.filter((p) => p.type === PT_DYNAMIC);
  if (interps.length > 1) info.warnings.push(`${interps.length} PT_INTERP segments (the kernel uses the first)`);
  if (dynamics.length > 1) info.warnings.push(`${dynamics.length} PT_DYNAMIC segments (the first is used)`);
  info.interpreter = null;
  if (interps[0]) {
    const p = interps[0];
    info.interpreter = readString(r, p.offset, p.filesz, 0n, 'PT_INTERP');
  }

  // Sections and their names.
  const sections: ElfSection[] = [];
  if (shnum > 0) {
    const tab = r.bytes(shoff, shBytes, 'section header table');
    const raw: { name: number; type: number; offset: bigint; size: bigint }[] = [];
    for (let i = 0; i < shnum; i++) {
      const b = i * shentsize;
      const s = is64
        ? { name: r.u32(tab, b), type: r.u32(tab, b + 4), offset: r.u64(tab, b + 24), size: r.u64(tab, b + 32) }
        : { name: r.u32(tab, b), type: r.u32(tab, b + 4), offset: BigInt(r.u32(tab, b + 16)), size: BigInt(r.u32(tab, b + 20)) };
      if (i > 0 && s.type !== SHT_NOBITS && s.size > 0n && s.offset + s.size > BigInt(src.size)) {
        throw new MalformedElf(`section ${i} (offset ${hex(s.offset)}, ${s.size} bytes) extends past the end of the file (${src.size} bytes)`);
      }
      raw.push(s);
    }
    let strOff = 0n;
    let strSize = 0n;
    if (shstrndx !== 0) {
      const st = raw[shstrndx];
      if (!st) throw new MalformedElf(`e_shstrndx ${shstrndx} is not a section (there are ${shnum})`);
      if (st.type === SHT_NOBITS) throw new MalformedElf(`section name table (section ${shstrndx}) has no data (SHT_NOBITS)`);
      strOff = st.offset;
      strSize = st.size;
    }
    for (let i = 0; i < raw.length; i++) {
      const s = raw[i]!;
      const name = shstrndx === 0 ? '' : i === 0 && s.name === 0 ? '' : readString(r, strOff, strSize, BigInt(s.name), `section ${i} name`);
      sections.push({ index: i, name, type: s.type, offset: Number(s.offset), size: Number(s.size) });
    }
  }
  info.sections = sections;
  info.stripped = !sections.some((s) => s.type === SHT_SYMTAB);

  // Dynamic section: NEEDED, SONAME, RPATH, RUNPATH, resolved through DT_STRTAB -> PT_LOAD -> file offset.
  info.needed = [];
  info.soname = null;
  info.rpath = null;
  info.runpath = null;
  let flags1 = 0n;
  if (dynamics[0]) {
    const p = dynamics[0];
    const ent = is64 ? 16 : 8;
    const count = p.filesz / BigInt(ent);
    if (count > BigInt(MAX_DYN_ENTRIES)) throw new MalformedElf(`dynamic section has ${count} entries, implausibly many`);
    const tab = r.bytes(p.offset, count * BigInt(ent), 'dynamic section');
    const wanted: { tag: bigint; val: bigint }[] = [];
    let strtab: bigint | undefined;
    let strsz: bigint | undefined;
    let terminated = false;
    for (let i = 0; i < Number(count); i++) {
      const b = i * ent;
      const tag = is64 ? r.i64(tab, b) : BigInt(r.i32(tab, b)); // d_tag is signed
      const val = is64 ? r.u64(tab, b + 8) : BigInt(r.u32(tab, b + 4));
      if (tag === DT_NULL) {
        terminated = true;
        break;
      }
      if (tag === DT_STRTAB) strtab = val;
      else if (tag === DT_STRSZ) strsz = val;
      else if (tag === DT_FLAGS_1) flags1 = val;
      else if (tag === DT_NEEDED || tag === DT_SONAME || tag === DT_RPATH || tag === DT_RUNPATH) {
        if (wanted.length >= MAX_NEEDED) throw new MalformedElf(`more than ${MAX_NEEDED} DT_NEEDED/SONAME/RPATH entries`);
        wanted.push({ tag, val });
      }
    }
    if (!terminated) info.warnings.push('dynamic section has no DT_NULL terminator');
    if (wanted.length > 0) {
      if (strtab === undefined) throw new MalformedElf('dynamic section has DT_NEEDED/SONAME/RPATH entries but no DT_STRTAB');
      const load = phdrs.find((q) => q.type === PT_LOAD && strtab! >= q.vaddr && strtab! < q.vaddr + q.filesz);
      if (!load) throw new MalformedElf(`DT_STRTAB address ${hex(strtab)} is not inside any PT_LOAD segment`);
      const strOff = load.offset + (strtab - load.vaddr);
      // The table ends at DT_STRSZ, and never beyond the segment that maps it.
      const segEnd = load.offset + load.filesz;
      let size = segEnd - strOff;
      if (strsz !== undefined) {
        if (strsz > size) throw new MalformedElf(`DT_STRSZ ${strsz} runs past the end of its PT_LOAD segment`);
        size = strsz;
      }
      for (const w of wanted) {
        const label = w.tag === DT_NEEDED ? 'DT_NEEDED' : w.tag === DT_SONAME ? 'DT_SONAME' : w.tag === DT_RPATH ? 'DT_RPATH' : 'DT_RUNPATH';
        const s = readString(r, strOff, size, w.val, label);
        if (w.tag === DT_NEEDED) info.needed.push(s);
        else if (w.tag === DT_SONAME) info.soname = s;
        else if (w.tag === DT_RPATH) info.rpath = s;
        else info.runpath = s;
      }
    }
  }
  info.pie = (flags1 & DF_1_PIE) !== 0n;
  const linkable = typeCode === 2 || typeCode === 3;
  if (!linkable) info.linking = 'not-linked';
  else if (!interps[0] && !dynamics[0]) info.linking = 'static';
  else if (!interps[0] && typeCode === 3 && info.pie) info.linking = 'static-pie';
  else info.linking = 'dynamic';
  info.staticallyLinked = info.linking === 'static' || info.linking === 'static-pie';
  return info;
}
