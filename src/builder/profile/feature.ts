// SPDX-License-Identifier: GPL-3.0-or-later
// What a feature (forensic mode, kernel modules, the reference, reproducibility, ...) gives the
// profile layer: its checks on each file and on the merged chain, and its step of resolving.
// The profile layer never imports a feature: src/builder/features/index.ts lists them and hands
// the list to loadProfileWith, which runs every feature's rules and resolve steps in that order.
import type { FileRule } from './file-rules.js';
import type { MergedRule } from './merged-rules.js';
import type { MergedProfile } from './schema.js';
import type { PathSeg } from './schema-tools.js';
import type { Profile } from './types.js';

/** The profile as resolving builds it: the sections a feature fills are absent until its step ran. */
export type DraftProfile = Omit<Profile, 'kernel' | 'reference'> & Partial<Pick<Profile, 'kernel' | 'reference'>>;

export interface ResolveContext {
  /** The merged, defaults-applied data. */
  merged: MergedProfile;
  /** The absolute path of the profile file that set the value at a merged path. */
  fileOf(at: PathSeg[]): string;
  repoRoot: string;
}

export interface ProfileFeature {
  name: string;
  /** Checks on each file of the chain (paths it names exist, ...). */
  fileRules?: readonly FileRule[];
  /** Checks on the merged chain with defaults applied. */
  mergedRules?: readonly MergedRule[];
  /** This feature's part of resolving: takes the draft so far, returns it with its part applied. */
  resolve?(draft: DraftProfile, ctx: ResolveContext): DraftProfile;
}
