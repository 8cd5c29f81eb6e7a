// SPDX-License-Identifier: GPL-3.0-or-later
// A question about the resolved `kernel:` section that core stages ask too (the initramfs stage
// must know whether modules arrive), so it lives with the profile, not in the kernel feature.
import type { Kernel } from './types.js';

/** True when the profile builds or copies any module (a build tree or module files are needed). */
export function injectsModules(k: Pick<Kernel, 'dkms' | 'sources' | 'prebuilt'>): boolean {
  return k.dkms.length + k.sources.length + k.prebuilt.length > 0;
}
