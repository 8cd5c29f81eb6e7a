// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel section's part of docs/profile-reference.md: what the build does with it, and an example.

export const KERNEL_EXAMPLE = `kernel:
  package: linux-image-amd64       # the default: the suite's kernel
  dkms: [apfs-dkms]                # built with dkms for exactly that kernel
  sources: [kmod/mydriver]         # a Kbuild folder next to this profile file
  prebuilt: [vendor/fancy.ko]      # refused unless its vermagic is the image kernel's
  load: [mydriver]                 # /etc/modules-load.d
  blacklist: [pcspkr]              # /etc/modprobe.d
  initramfs: [mydriver]            # also in the initramfs, loaded there
  signing:                         # optional: sign for Secure Boot (enrol the certificate as a MOK)
    key: keys/modules.key
    certificate: keys/modules.crt
`;

const KERNEL_TEXT = `### Extra kernel modules

The \`kernel:\` section builds modules for exactly the kernel the image boots. The build installs the
matching \`linux-headers-KVER\` (same version as the image's kernel package, from the same suites),
dkms and the compiler in a throwaway tree on top of the base system, never in the image; the built
\`.ko\` files go to \`/lib/modules/KVER/updates/\`, \`depmod\` runs in the image and the initramfs is
regenerated. Results are cached by the kernel version, the DKMS package versions, the source
folders' contents and the prebuilt files' hashes. \`NAME.build.json\` (\`kernelModules\`) and
\`NAME.packages\` (lines starting with \`kernel-module:\`) list every module with its source, kernel
version, sha256 and whether it is signed. Without \`signing\` the build warns that the modules will not
load where Secure Boot is enforced (kernel lockdown).
`;

/** Shown on the reference page before "How profiles combine". */
export const KERNEL_GUIDE = [KERNEL_TEXT, '```yaml', KERNEL_EXAMPLE.trimEnd(), '```', ''].join('\n');
