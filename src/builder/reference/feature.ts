// SPDX-License-Identifier: GPL-3.0-or-later
// The trusted reference as one unit (registered in features/index.ts): its step of resolving the
// profile (the suites it reads, each with its mirror, after reproducibility pinned the mirrors).
import type { ProfileFeature } from '../profile/index.js';
import { resolveReference } from './profile.js';

export const referenceFeature: ProfileFeature = {
  name: 'reference',
  resolve: (d, { merged }) => ({ ...d, reference: resolveReference(merged.reference, d.distribution) }),
};
