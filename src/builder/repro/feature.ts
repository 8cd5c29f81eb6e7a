// SPDX-License-Identifier: GPL-3.0-or-later
// Reproducibility as one unit (registered in features/index.ts): its step of resolving the profile
// (a snapshot replaces the mirrors, so everything that reads the archive reads the pinned state).
import type { Feature } from '../features/feature.js';
import { reproducibleSection } from './section.js';
import { snapshotMirrors } from './snapshot.js';

export const reproducibilityFeature: Feature = {
  name: 'reproducibility',
  section: reproducibleSection,
  resolve: (d) => {
    const snapshot = d.distribution.snapshot;
    return snapshot ? { ...d, distribution: { ...d.distribution, ...snapshotMirrors(snapshot, d.distribution.security_mirror !== null) } } : d;
  },
};
