// SPDX-License-Identifier: GPL-3.0-or-later
// The trusted reference as one unit (registered in features/index.ts): its step of resolving the
// profile (the suites it reads, each with its mirror, after reproducibility pinned the mirrors),
// its stage (after the overlays and kernel modules, before the initramfs) and its build record
// section (what the reference stage built).
import type { Feature } from '../features/feature.js';
import { resolveReference } from './profile.js';
import { referenceSection } from './section.js';
import { referenceStage } from './stage.js';

export const referenceFeature: Feature = {
  name: 'reference',
  section: referenceSection,
  resolve: (d, { merged }) => ({ ...d, reference: resolveReference(merged.reference, d.distribution) }),
  stages: [{ stage: referenceStage, before: 'initramfs' }],
  record: (ctx) => ({ reference: ctx.get('reference') }),
};
