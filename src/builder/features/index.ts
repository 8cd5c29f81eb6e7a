// SPDX-License-Identifier: GPL-3.0-or-later
// The registered features, in order. Each lives in its own folder and contributes its profile
// rules, resolve step and build record sections here; the profile layer and the outputs stage
// only loop over this list (profile/ imports no feature). To add a feature: its folder with a feature.ts, and one line below.
import { forensicFeature } from '../forensic/feature.js';
import { kernelFeature } from '../kernel/feature.js';
import { referenceFeature } from '../reference/feature.js';
import { reproducibilityFeature } from '../repro/feature.js';
import { loadProfileWith, type LoadOptions, type Profile } from '../profile/index.js';
import { secureBootFeature } from '../stages/secure-boot-feature.js';
import type { Feature } from './feature.js';

/** Rules run and resolve steps apply in this order (a later step sees what an earlier one resolved). */
export const FEATURES: readonly Feature[] = [reproducibilityFeature, secureBootFeature, referenceFeature, forensicFeature, kernelFeature];

/** Loads a profile with every registered feature's rules and resolve step. */
export function loadProfile(ref: string, opts: LoadOptions = {}): Promise<Profile> {
  return loadProfileWith(FEATURES, ref, opts);
}
