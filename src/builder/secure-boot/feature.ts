// SPDX-License-Identifier: GPL-3.0-or-later
// Secure Boot as one unit (registered in features/index.ts): its profile check (it needs UEFI), its
// stage (the signed boot chain, before the bootloader stage puts it on the ESP) and its build
// record section (the signed packages the boot chain came from, and the injected modules that will
// not load where Secure Boot is enforced).
import type { Feature } from '../features/feature.js';
import type { MergedRule } from '../profile/merged-rules.js';
import { signedBootStage } from './stage.js';

export const secureBootNeedsUefi: MergedRule = ({ profile, report }) => {
  if (profile.boot.secure_boot && !profile.boot.firmware.includes('uefi')) report(['boot', 'secure_boot'], 'needs uefi in boot.firmware (Secure Boot is a UEFI feature)');
};

export const secureBootFeature: Feature = {
  name: 'secure-boot',
  mergedRules: [secureBootNeedsUefi],
  stages: [{ stage: signedBootStage, before: 'bootloader' }],
  record: (ctx) => ({
    secureBoot: ctx.profile.boot.secure_boot
      ? {
          signedPackages: ctx.get('signedBoot')?.packages ?? [],
          // Injected modules without a signature: they do not load where Secure Boot is enforced.
          unsignedModules: ctx
            .get('kernelModules')
            .filter((m) => !m.signed)
            .map((m) => m.name),
        }
      : null,
  }),
};
