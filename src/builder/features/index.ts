// SPDX-License-Identifier: GPL-3.0-or-later
// The registered features, in order. Each lives in its own folder and contributes, through its one
// feature.ts: its section of the profile file (schema, place, reference-page guide), its profile
// rules and resolve step, its stages (at declared positions among the core
// stages), and its build record, manifest and SBOM parts. The profile layer, the pipeline and the
// core stages only loop over this list (none of them imports a feature). To add a feature: its
// folder with a feature.ts, and one line below.
import { forensicFeature } from '../forensic/feature.js';
import { kernelFeature } from '../kernel/feature.js';
import { referenceFeature } from '../reference/feature.js';
import { reproducibilityFeature } from '../repro/feature.js';
import { secureBootFeature } from '../secure-boot/feature.js';
import { toolkitFeature } from '../toolkit/feature.js';
import { composeStages } from '../pipeline/compose.js';
import type { Stage } from '../pipeline/stage.js';
import {
  generatedFiles as generatedFilesOf,
  loadProfileWith,
  profileJsonSchema as profileJsonSchemaOf,
  profileReferenceMarkdown as profileReferenceMarkdownOf,
  type GeneratedFile,
  type LoadOptions,
  type Profile,
} from '../profile/index.js';
import { CORE_STAGES } from '../stages/index.js';
import type { Feature } from './feature.js';

/** Rules run and resolve steps apply in this order (a later step sees what an earlier one resolved). */
export const FEATURES: readonly Feature[] = [reproducibilityFeature, secureBootFeature, referenceFeature, forensicFeature, kernelFeature, toolkitFeature];

/** The build, top to bottom: the core stages with every feature's stages at their places. */
export const STAGES: readonly Stage[] = composeStages(CORE_STAGES, FEATURES);

/** Loads a profile with every registered feature's rules and resolve step. */
export function loadProfile(ref: string, opts: LoadOptions = {}): Promise<Profile> {
  return loadProfileWith(FEATURES, ref, opts);
}

/** The editors' JSON Schema of a profile file: the core keys and every registered feature's section. */
export function profileJsonSchema(): Record<string, unknown> {
  return profileJsonSchemaOf(FEATURES);
}

/** docs/profile-reference.md for the registered features. */
export function profileReferenceMarkdown(): string {
  return profileReferenceMarkdownOf(FEATURES);
}

/** The committed files generated from the profile schema (`npm run generate`), as they should be now. */
export function generatedFiles(): GeneratedFile[] {
  return generatedFilesOf(FEATURES);
}
