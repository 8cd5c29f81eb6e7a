// SPDX-License-Identifier: GPL-3.0-or-later
// Kernel modules as one unit (registered in features/index.ts): the `kernel:` section's checks on
// each file and on the merged chain, and its step of resolving (paths made absolute, the kernel
// package joined to `packages`), its stage (after overlay: build and add the modules), and its
// parts of the outputs: the build record section, the manifest lines and the SBOM's modules.
import type { Feature } from '../features/feature.js';
import { packagesWithKernel, resolveKernel } from './profile.js';
import { manifestLines } from './records.js';
import { kernelFileRules, kernelRules } from './rules.js';
import { kernelSection } from './section.js';
import { moduleComponent } from './sbom.js';
import { kernelModulesStage } from './stage.js';

export const kernelFeature: Feature = {
  name: 'kernel',
  section: kernelSection,
  fileRules: kernelFileRules,
  mergedRules: kernelRules,
  resolve: (d, { merged, fileOf }) => ({ ...d, packages: packagesWithKernel(d.packages, merged.kernel.package), kernel: resolveKernel(merged.kernel, fileOf) }),
  stages: [{ stage: kernelModulesStage, after: 'overlay' }],
  record: (ctx) => ({ kernelModules: ctx.get('kernelModules') }),
  manifest: (ctx) => manifestLines(ctx.get('kernelModules'), ctx.profile.distribution.architecture),
  sbom: (ctx) => ctx.get('kernelModules').map(moduleComponent),
};
