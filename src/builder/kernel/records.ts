// SPDX-License-Identifier: GPL-3.0-or-later
// How injected modules are written down: in NAME.build.json (the InjectedModule objects) and as
// extra lines of NAME.packages, after the Debian packages, so one manifest lists everything in the
// image. A module line starts with `kernel-module:` (never a Debian package name) and keeps the
// first three tab-separated columns of a package line (name, version, architecture).

export const MODULE_LINE_PREFIX = 'kernel-module:';

/** `kernel-module:NAME  KVER  amd64  SOURCE  sha256=HEX  signed|unsigned  FILE`, one per module. */
/** A kernel module the kernel-modules stage put into the image (read by the SBOM and build.json). */
export interface InjectedModule {
  name: string;
  source: { kind: 'package' | 'folder' | 'file'; package?: string; version?: string; path?: string };
  kernelVersion: string;
  file: string /* path in image, e.g. /lib/modules/KVER/updates/x.ko */;
  sha256: string;
  signed: boolean;
}

export function manifestLines(modules: readonly InjectedModule[], arch: string): string {
  return modules.map((m) => [`${MODULE_LINE_PREFIX}${m.name}`, m.kernelVersion, arch, sourceText(m.source), `sha256=${m.sha256}`, m.signed ? 'signed' : 'unsigned', m.file].join('\t') + '\n').join('');
}

/** `package:apfs-dkms=0.3.0-1`, `folder:kmod/hello`, `file:prebuilt/x.ko`. */
export function sourceText(s: InjectedModule['source']): string {
  return s.kind === 'package' ? `package:${s.package}=${s.version}` : `${s.kind}:${s.path}`;
}
