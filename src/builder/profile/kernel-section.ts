// SPDX-License-Identifier: GPL-3.0-or-later
// A question about the resolved `kernel:` section that core stages ask too (the initramfs stage
// must know whether modules arrive), so it lives with the profile, not in the kernel feature.
// It takes the lists' shapes only, so the profile layer needs no type of the kernel feature.

/** True when the profile builds or copies any module (a build tree or module files are needed). */
export function injectsModules(k: { dkms: readonly unknown[]; sources: readonly unknown[]; prebuilt: readonly unknown[] }): boolean {
  return k.dkms.length + k.sources.length + k.prebuilt.length > 0;
}
