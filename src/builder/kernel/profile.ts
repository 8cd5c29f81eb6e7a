// SPDX-License-Identifier: GPL-3.0-or-later
// The profile's `kernel:` section resolved: paths made absolute (relative to the file that named
// them), and the kernel package joined to `packages`, so the bootstrap installs exactly one kernel
// and the key of the base tree stays what it was for profiles that listed linux-image-amd64.
import path from 'node:path';
import type { MergedProfile } from '../profile/schema.js';
import type { ProfilePath } from '../profile/types.js';
import type { Kernel } from './section.js';
import type { PathSeg } from '../profile/schema-tools.js';
import { injectsModules } from '../profile/kernel-section.js';

/** The absolute path of the profile file that set the value at a merged path. */
export type FileOf = (at: PathSeg[]) => string;

export function resolveKernel(k: MergedProfile['kernel'], fileOf: FileOf): Kernel {
  const rel = (value: string, at: PathSeg[]): ProfilePath => ({ source: value, path: path.resolve(path.dirname(fileOf(at)), value) });
  return {
    package: k.package,
    dkms: k.dkms,
    sources: k.sources.map((s, i) => rel(s, ['kernel', 'sources', i])),
    prebuilt: k.prebuilt.map((s, i) => rel(s, ['kernel', 'prebuilt', i])),
    load: k.load,
    blacklist: k.blacklist,
    initramfs: k.initramfs,
    signing: k.signing && {
      key: rel(k.signing.key, ['kernel', 'signing', 'key']),
      certificate: rel(k.signing.certificate, ['kernel', 'signing', 'certificate']),
    },
  };
}

/** `packages` with the kernel package added (once; a profile may still list the same name). */
export function packagesWithKernel(packages: string[], kernelPackage: string): string[] {
  const name = packageBase(kernelPackage);
  return packages.some((p) => packageBase(p) === name) ? packages : [...packages, kernelPackage];
}

export function packageBase(pkg: string): string {
  return pkg.split('=')[0]!;
}

export { injectsModules };

/** True when the kernel section changes anything in the image (modules or configuration files). */
export function kernelSectionUsed(k: Kernel): boolean {
  return injectsModules(k) || k.load.length + k.blacklist.length + k.initramfs.length > 0;
}
