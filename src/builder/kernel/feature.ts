// SPDX-License-Identifier: GPL-3.0-or-later
// Kernel modules as one unit (registered in features/index.ts): the `kernel:` section's checks on
// each file and on the merged chain, and its step of resolving (paths made absolute, the kernel
// package joined to `packages`), and its build record section (the modules added to the image).
import type { Feature } from '../features/feature.js';
import { packagesWithKernel, resolveKernel } from './profile.js';
import { kernelFileRules, kernelRules } from './rules.js';

export const kernelFeature: Feature = {
  name: 'kernel',
  fileRules: kernelFileRules,
  mergedRules: kernelRules,
  resolve: (d, { merged, fileOf }) => ({ ...d, packages: packagesWithKernel(d.packages, merged.kernel.package), kernel: resolveKernel(merged.kernel, fileOf) }),
  record: (ctx) => ({ kernelModules: ctx.get('kernelModules') }),
};
