// SPDX-License-Identifier: GPL-3.0-or-later
// Forensic mode as one unit (registered in features/index.ts): its profile checks, and its step
// of resolving the profile (the forensic boot entry as the default, its overlay added last).
import type { Feature } from '../features/feature.js';
import { forensicBoot, forensicOverlays } from './boot.js';
import { forensicRules } from './rules.js';
import { forensicSection } from './section.js';

export const forensicFeature: Feature = {
  name: 'forensic',
  mergedRules: forensicRules,
  section: forensicSection,
  resolve: (d, { merged, repoRoot }) => ({ ...d, overlays: forensicOverlays(d.overlays, merged.forensic, repoRoot), boot: forensicBoot(d.boot, merged.forensic) }),
};
