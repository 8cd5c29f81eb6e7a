// SPDX-License-Identifier: GPL-3.0-or-later
// What a feature (forensic mode, kernel modules, the reference, reproducibility, ...) gives the
// profile layer: its section of the profile file (schema, place, guide), its checks on each file
// and on the merged chain, and its step of resolving. The profile layer never imports a feature:
// src/builder/features/index.ts lists them and hands the list to loadProfileWith (and to the
// generators), which compose the schema and run every feature's rules and resolve steps in order.
import type * as z from 'zod';
import type { FileRule } from './file-rules.js';
import type { MergedRule } from './merged-rules.js';
import type { MergedProfile } from './schema.js';
import type { PathSeg } from './schema-tools.js';
import type { Profile, ProfileSections } from './types.js';

/**
 * The profile as resolving builds it: the feature sections are absent until a step sets them; a
 * section no step set is taken as written (its merged value).
 */
export type DraftProfile = Omit<Profile, keyof ProfileSections> & Partial<ProfileSections>;

export interface ResolveContext {
  /** The merged, defaults-applied data. */
  merged: MergedProfile;
  /** The absolute path of the profile file that set the value at a merged path. */
  fileOf(at: PathSeg[]): string;
  repoRoot: string;
}

/** A feature's top-level key of the profile file. */
export interface ProfileSection {
  key: string;
  /** As written, with its default and description: `kernelSchema.prefault({}).describe('...')`. */
  schema: z.ZodType;
  /** The key it follows in the schema, the reference page and the resolved profile (a core key or another feature's). */
  after: string;
  /** Markdown for the reference page, before "How profiles combine" (a guide with an example). */
  guide?: string;
}

export interface ProfileFeature {
  name: string;
  /** Its section of the profile file, if it has one. */
  section?: ProfileSection;
  /** Checks on each file of the chain (paths it names exist, ...). */
  fileRules?: readonly FileRule[];
  /** Checks on the merged chain with defaults applied. */
  mergedRules?: readonly MergedRule[];
  /** This feature's part of resolving: takes the draft so far, returns it with its part applied. */
  resolve?(draft: DraftProfile, ctx: ResolveContext): DraftProfile;
}
