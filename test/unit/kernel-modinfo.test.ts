// SPDX-License-Identifier: GPL-3.0-or-later
// Pure module-file logic: .modinfo parsing from an ELF file, the vermagic check that refuses a
// module built for another kernel, signature detection, dkms.conf and the kernel's signing hash.
import { describe, expect, it } from 'vitest';
import { hasSignature, parseDkmsConf, readModinfo, SIGNATURE_MAGIC, signatureHash, vermagicMismatch } from '../../src/builder/kernel/modinfo.js';

const KVER = '6.1.0-57-amd64';
const VERMAGIC = `${KVER} SMP preempt mod_unload modversions `;

/** A minimal ELF64 LE file: section 0 (null), .shstrtab, .modinfo. */
function fakeModule(modinfo: string): Buffer {
  const shstrtab = Buffer.from('\0.shstrtab\0.modinfo\0', 'latin1');
  const info = Buffer.from(modinfo, 'utf8');
  const dataOff = 64;
  const infoOff = dataOff + shstrtab.length;
  const shoff = infoOff + info.length;
  const out = Buffer.alloc(shoff + 3 * 64);
  out.writeUInt32BE(0x7f454c46, 0);
  out[4] = 2; // 64-bit
  out[5] = 1; // little-endian
  out.writeBigUInt64LE(BigInt(shoff), 0x28);
  out.writeUInt16LE(64, 0x3a);
  out.writeUInt16LE(3, 0x3c);
  out.writeUInt16LE(1, 0x3e);
  shstrtab.copy(out, dataOff);
  info.copy(out, infoOff);
  const section = (i: number, name: number, off: number, size: number) => {
    const at = shoff + i * 64;
    out.writeUInt32LE(name, at);
    out.writeBigUInt64LE(BigInt(off), at + 0x18);
    out.writeBigUInt64LE(BigInt(size), at + 0x20);
  };
  section(1, 1, dataOff, shstrtab.length);
  section(2, 11, infoOff, info.length);
  return out;
}

describe('readModinfo', () => {
  it('reads the key=value strings of .modinfo, first value of a key winning', () => {
    const info = readModinfo(fakeModule(`license=GPL\0name=flhello\0vermagic=${VERMAGIC}\0alias=a\0alias=b\0`));
    expect(info.get('name')).toBe('flhello');
    expect(info.get('vermagic')).toBe(VERMAGIC);
    expect(info.get('alias')).toBe('a');
  });

  it('refuses files that are not 64-bit ELF modules', () => {
    expect(() => readModinfo(Buffer.from('#!/bin/sh\necho not a module\n'.padEnd(80)))).toThrow('not an ELF file');
    const noModinfo = fakeModule('x=y\0');
    noModinfo.write('.modinfX', 64 + 11, 'latin1');
    expect(() => readModinfo(noModinfo)).toThrow('no .modinfo section');
  });
});

describe('vermagicMismatch', () => {
  it('accepts the same vermagic, whatever the spacing', () => {
    expect(vermagicMismatch(`  ${KVER}  SMP preempt mod_unload modversions`, VERMAGIC, KVER)).toBeUndefined();
  });

  it('names both kernels when the module was built for another one', () => {
    const why = vermagicMismatch('6.1.0-99-amd64 SMP preempt mod_unload modversions ', VERMAGIC, KVER);
    expect(why).toBe(`it was built for kernel 6.1.0-99-amd64 (vermagic '6.1.0-99-amd64 SMP preempt mod_unload modversions'), the image boots ${KVER} (vermagic '${VERMAGIC.trim()}')`);
  });

  it('refuses the same version built with other options, and a module without vermagic', () => {
    expect(vermagicMismatch(`${KVER} SMP mod_unload`, VERMAGIC, KVER)).toContain('different build options');
    expect(vermagicMismatch(undefined, VERMAGIC, KVER)).toContain('no vermagic');
  });
});

describe('hasSignature', () => {
  it('sees the marker sign-file appends, only at the very end', () => {
    const mod = fakeModule('name=x\0');
    expect(hasSignature(mod)).toBe(false);
    expect(hasSignature(Buffer.concat([mod, Buffer.alloc(300), SIGNATURE_MAGIC]))).toBe(true);
    expect(hasSignature(Buffer.concat([mod, SIGNATURE_MAGIC, Buffer.from('x')]))).toBe(false);
  });
});

describe('parseDkmsConf and signatureHash', () => {
  it('reads the name and version of a dkms.conf', () => {
    expect(parseDkmsConf('PACKAGE_NAME="linux-apfs-rw"\nPACKAGE_VERSION="0.3.0-1"\nAUTOINSTALL=yes\n')).toEqual({ name: 'linux-apfs-rw', version: '0.3.0-1' });
    expect(parseDkmsConf("PACKAGE_NAME=lime\nPACKAGE_VERSION='1.9.1'\n")).toEqual({ name: 'lime', version: '1.9.1' });
    expect(parseDkmsConf('PACKAGE_NAME="x"\nPACKAGE_VERSION="$(cat VERSION)"\n')).toBeUndefined();
  });

  it("takes the kernel's CONFIG_MODULE_SIG_HASH, sha256 when unset", () => {
    expect(signatureHash('CONFIG_MODULE_SIG=y\nCONFIG_MODULE_SIG_HASH="sha512"\n')).toBe('sha512');
    expect(signatureHash('# CONFIG_MODULE_SIG is not set\n')).toBe('sha256');
  });
});
