// SPDX-License-Identifier: GPL-3.0-or-later
// The registered features, in order. Each lives in its own folder and contributes its profile
// rules and resolve step here; the profile layer only loops over this list (it imports no
// feature). To add a feature: its folder with a feature.ts, and one line below.
import { forensicFeature } from '../forensic/feature.js';
import { kernelFeature } from '../kernel/feature.js';
import { referenceFeature } from '../reference/feature.js';
import { reproducibilityFeature } from '../repro/feature.js';
import { loadProfileWith, type LoadOptions, type Profile, type ProfileFeature } from '../profile/index.js';

/** Rules run and resolve steps apply in this order (a later step sees what an earlier one resolved). */
export const FEATURES: readonly ProfileFeature[] = [reproducibilityFeature, referenceFeature, forensicFeature, kernelFeature];

/** Loads a profile with every registered feature's rules and resolve step. */
export function loadProfile(ref: string, opts: LoadOptions = {}): Promise<Profile> {
  return loadProfileWith(FEATURES, ref, opts);
}
