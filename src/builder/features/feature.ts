// SPDX-License-Identifier: GPL-3.0-or-later
// A feature as the builder sees it: what it gives the profile layer (profile/feature.ts) and its
// sections of the build record (build.json), which the outputs stage collects from every feature
// in registration order instead of importing them.
import type { BuildContext } from '../pipeline/context.js';
import type { ProfileFeature } from '../profile/index.js';

export interface Feature extends ProfileFeature {
  /** This feature's sections of build.json, by key (the products of its stages, say). */
  record?(ctx: BuildContext): Record<string, unknown>;
}
