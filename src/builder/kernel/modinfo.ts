// SPDX-License-Identifier: GPL-3.0-or-later
// Pure reading of kernel module files: the .modinfo section (what `modinfo` prints: vermagic,
// name, ...), whether a signature is appended (what sign-file writes), and the vermagic check
// that refuses a module built for another kernel.

/** The marker sign-file appends after the signature (include/linux/module_signature.h). */
export const SIGNATURE_MAGIC = Buffer.from('~Module signature appended~\n', 'latin1');

export function hasSignature(ko: Buffer): boolean {
  return ko.length >= SIGNATURE_MAGIC.length && ko.subarray(ko.length - SIGNATURE_MAGIC.length).equals(SIGNATURE_MAGIC);
}

/** The key=value pairs of an ELF64 little-endian module's .modinfo section; throws on anything else. */
export function readModinfo(ko: Buffer): Map<string, string> {
  if (ko.length < 64 || ko.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
  if (ko[4] !== 2 || ko[5] !== 1) throw new Error('not a 64-bit little-endian ELF file');
  const shoff = Number(ko.readBigUInt64LE(0x28));
  const shentsize = ko.readUInt16LE(0x3a);
  const shnum = ko.readUInt16LE(0x3c);
  const shstrndx = ko.readUInt16LE(0x3e);
  if (shentsize < 64 || shstrndx >= shnum || shoff + shnum * shentsize > ko.length) throw new Error('bad ELF section table');
  const section = (i: number) => {
    const at = shoff + i * shentsize;
    return { name: ko.readUInt32LE(at), offset: Number(ko.readBigUInt64LE(at + 0x18)), size: Number(ko.readBigUInt64LE(at + 0x20)) };
  };
  const names = section(shstrndx);
  for (let i = 0; i < shnum; i++) {
    const s = section(i);
    const nameAt = names.offset + s.name;
    if (nameAt >= ko.length) continue;
    const end = ko.indexOf(0, nameAt);
    if (ko.toString('latin1', nameAt, end < 0 ? ko.length : end) !== '.modinfo') continue;
    if (s.offset + s.size > ko.length) throw new Error('.modinfo runs past the end of the file');
    return parseModinfo(ko.subarray(s.offset, s.offset + s.size));
  }
  throw new Error('no .modinfo section: not a kernel module');
}

/** NUL-separated key=value strings; the first value of a key wins (as `modinfo -F` prints it first). */
export function parseModinfo(section: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of section.toString('utf8').split('\0')) {
    const eq = entry.indexOf('=');
    if (eq <= 0) continue;
    const key = entry.slice(0, eq);
    if (!out.has(key)) out.set(key, entry.slice(eq + 1));
  }
  return out;
}

/** Vermagic strings compared as the kernel does, token by token (it ignores surrounding blanks). */
export function normalizeVermagic(v: string): string {
  return v.trim().split(/\s+/).join(' ');
}

/**
 * Why a module with vermagic `moduleVermagic` cannot load into the image's kernel, or undefined
 * when it can. `kernelVermagic` is the vermagic of a module shipped with that kernel.
 */
export function vermagicMismatch(moduleVermagic: string | undefined, kernelVermagic: string, kernelVersion: string): string | undefined {
  if (moduleVermagic === undefined) return 'it has no vermagic (not built by Kbuild)';
  const got = normalizeVermagic(moduleVermagic);
  const want = normalizeVermagic(kernelVermagic);
  if (got === want) return undefined;
  const builtFor = got.split(' ')[0];
  if (builtFor !== kernelVersion) return `it was built for kernel ${builtFor} (vermagic '${got}'), the image boots ${kernelVersion} (vermagic '${want}')`;
  return `its vermagic '${got}' differs from the image kernel's '${want}' (same version, different build options)`;
}

/** PACKAGE_NAME and PACKAGE_VERSION of a dkms.conf (plain assignments, optionally quoted). */
export function parseDkmsConf(text: string): { name: string; version: string } | undefined {
  const value = (key: string) => new RegExp(`^\\s*${key}=["']?([^"'\\s#]+)["']?`, 'm').exec(text)?.[1];
  const name = value('PACKAGE_NAME');
  const version = value('PACKAGE_VERSION');
  return name && version && !name.includes('$') && !version.includes('$') ? { name, version } : undefined;
}

/** CONFIG_MODULE_SIG_HASH of a kernel config (what sign-file must use), sha256 when unset. */
export function signatureHash(kernelConfig: string): string {
  return /^CONFIG_MODULE_SIG_HASH="([a-z0-9-]+)"$/m.exec(kernelConfig)?.[1] ?? 'sha256';
}
