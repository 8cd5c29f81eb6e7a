// SPDX-License-Identifier: GPL-3.0-or-later
// The profile's `kernel:` section: the kernel and extra modules built for exactly it (its stage
// kernel/stage.ts, resolved in kernel/profile.ts): schema, types, place in the profile file and
// its part of the reference page.
import * as z from 'zod';
import type { ProfileSection } from '../profile/index.js';
import { packageName } from '../profile/schema.js';
import { mergeList } from '../profile/schema-tools.js';
import type { Holds, ProfilePath, Same } from '../profile/types.js';
import { KERNEL_GUIDE } from './guide.js';

const MODULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
const moduleName = () => z.string().regex(MODULE_NAME, { error: 'must be a kernel module name: letters, digits, _ and -' });
const relPath = (what: string) => z.string().min(1, { error: `must name a ${what}` });

export const signingSchema = z.strictObject({
  key: relPath('file').describe("Private key (PEM) for the kernel's sign-file, relative to the profile file's folder. Never copied into the image."),
  certificate: relPath('file').describe(
    "X.509 certificate (PEM or DER) matching `key`, relative to the profile file's folder; enrol it as a MOK (mokutil --import) on the machines that must load the modules.",
  ),
});

export const kernelSchema = z.strictObject({
  package: packageName
    .default('linux-image-amd64')
    .describe("The kernel package the image boots, from the profile's suites (added to `packages`; do not list another linux-image-* package there). Modules are built for the version it installs."),
  dkms: mergeList(z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, { error: 'not a Debian package name: lowercase letters, digits, + - . (2 characters or more)' }))
    .prefault([])
    .describe(
      "DKMS module packages from the archive (e.g. apfs-dkms) to build with dkms for the image's kernel. The package, dkms, the compiler and the headers stay in a throwaway build tree; only the built .ko files go into the image.",
    ),
  sources: mergeList(relPath('folder'))
    .prefault([])
    .describe(
      "Out-of-tree module source folders (a Kbuild Makefile and its sources), relative to the profile file's folder, built with the image kernel's headers (`make -C /lib/modules/KVER/build M=DIR modules`).",
    ),
  prebuilt: mergeList(relPath('.ko file'))
    .prefault([])
    .describe("Prebuilt .ko files, relative to the profile file's folder; refused when the vermagic in their .modinfo (what modinfo -F vermagic prints) is not the image kernel's."),
  load: mergeList(moduleName()).prefault([]).describe('Modules loaded at boot (/etc/modules-load.d/forensic-live.conf).'),
  blacklist: mergeList(moduleName()).prefault([]).describe('Modules never loaded automatically (/etc/modprobe.d/forensic-live-blacklist.conf; in the initramfs too).'),
  initramfs: mergeList(moduleName()).prefault([]).describe('Modules added to the initramfs and loaded there (/usr/share/initramfs-tools/modules.d/forensic-live).'),
  signing: signingSchema
    .nullable()
    .default(null)
    .describe(
      "Sign every injected module with the kernel's sign-file (hash from the kernel's CONFIG_MODULE_SIG_HASH). Without it the build warns that unsigned modules do not load where Secure Boot (kernel lockdown) is enforced. null drops an inherited key.",
    ),
});

/** The kernel section as written (schema output): paths relative to the file that names them. */
export interface KernelSettings {
  package: string;
  dkms: string[];
  sources: string[];
  prebuilt: string[];
  load: string[];
  blacklist: string[];
  initramfs: string[];
  signing: { key: string; certificate: string } | null;
}

/** Resolved: every path absolute (the kernel feature, src/builder/kernel/). */
export interface Kernel {
  package: string;
  dkms: string[];
  sources: ProfilePath[];
  prebuilt: ProfilePath[];
  load: string[];
  blacklist: string[];
  initramfs: string[];
  signing: { key: ProfilePath; certificate: ProfilePath } | null;
}

declare module '../profile/types.js' {
  interface ProfileSections {
    kernel: Kernel;
  }
  interface MergedSections {
    kernel: KernelSettings;
  }
}

export type KernelSchemaCheck = Holds<Same<z.output<typeof kernelSchema>, KernelSettings>>;

export const kernelSection: ProfileSection = {
  key: 'kernel',
  schema: kernelSchema.prefault({}).describe('The kernel and extra kernel modules (DKMS packages, source folders, prebuilt .ko files) built for exactly that kernel.'),
  after: 'reference',
  guide: KERNEL_GUIDE,
};
