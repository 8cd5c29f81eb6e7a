// SPDX-License-Identifier: GPL-3.0-or-later
// ELF numbers we name (System V gABI and the psABIs). Unknown values are shown as numbers.

/** e_machine -> [short name, description as readelf prints it]. */
export const MACHINES: Record<number, [string, string]> = {
  0: ['none', 'None'],
  2: ['sparc', 'Sparc'],
  3: ['i386', 'Intel 80386'],
  4: ['m68k', 'MC68000'],
  8: ['mips', 'MIPS R3000'],
  10: ['mips-rs3-le', 'MIPS R3000 little-endian'],
  15: ['parisc', 'HPPA'],
  18: ['sparc32plus', 'Sparc v8+'],
  20: ['ppc', 'PowerPC'],
  21: ['ppc64', 'PowerPC64'],
  22: ['s390', 'IBM S/390'],
  40: ['arm', 'ARM'],
  42: ['sh', 'Renesas / SuperH SH'],
  43: ['sparcv9', 'Sparc v9'],
  50: ['ia64', 'Intel IA-64'],
  62: ['x86-64', 'Advanced Micro Devices X86-64'],
  83: ['avr', 'Atmel AVR 8-bit microcontroller'],
  94: ['xtensa', 'Tensilica Xtensa Processor'],
  164: ['hexagon', 'QUALCOMM Hexagon'],
  183: ['aarch64', 'AArch64'],
  243: ['riscv', 'RISC-V'],
  247: ['bpf', 'Linux BPF'],
  258: ['loongarch', 'LoongArch'],
};

export const TYPES: Record<number, string> = { 0: 'NONE', 1: 'REL', 2: 'EXEC', 3: 'DYN', 4: 'CORE' };

export const OSABI: Record<number, string> = {
  0: 'SYSV',
  1: 'HP-UX',
  2: 'NetBSD',
  3: 'GNU',
  6: 'Solaris',
  7: 'AIX',
  8: 'IRIX',
  9: 'FreeBSD',
  12: 'OpenBSD',
  97: 'ARM',
  255: 'Standalone',
};

export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;

export const SHT_SYMTAB = 2;
export const SHT_NOBITS = 8;

export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_XINDEX = 0xffff;
export const PN_XNUM = 0xffff;

export const DT_NULL = 0n;
export const DT_NEEDED = 1n;
export const DT_STRTAB = 5n;
export const DT_STRSZ = 10n;
export const DT_SONAME = 14n;
export const DT_RPATH = 15n;
export const DT_RUNPATH = 29n;
export const DT_FLAGS_1 = 0x6ffffffbn;
export const DF_1_PIE = 0x08000000n;
