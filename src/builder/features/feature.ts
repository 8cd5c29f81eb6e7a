// SPDX-License-Identifier: GPL-3.0-or-later
// A feature as the builder sees it: what it gives the profile layer (profile/feature.ts: rules,
// resolve step) and what it gives the build (pipeline/feature.ts: its stages at their positions,
// its build record sections, manifest lines and SBOM fields). One object per feature folder,
// registered in features/index.ts.
import type { BuildFeature } from '../pipeline/feature.js';
import type { ProfileFeature } from '../profile/index.js';

export interface Feature extends ProfileFeature, BuildFeature {}
