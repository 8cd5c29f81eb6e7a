// SPDX-License-Identifier: GPL-3.0-or-later
// loadProfile: read the extends chain, validate each file, merge, apply defaults, check the merged
// result, resolve paths. Problems are collected and thrown together as one ValidationError:
// first everything wrong in the single files, then (once those are clean) what is wrong with the
// merged result, so that a typo never shows up as a confusing merge problem.
import path from 'node:path';
import type * as z from 'zod';
import { ValidationError } from '../errors.js';
import { loadChain, missingProfileMessage } from './chain.js';
import { profileFileSchema } from './compose.js';
import { fileRules } from './file-rules.js';
import type { ProfileFeature } from './feature.js';
import { reportIssues } from './issues.js';
import { mergeChain, type Merged } from './merge.js';
import { mergedRules } from './merged-rules.js';
import { isFile, profilePath } from './paths.js';
import { positionOf, type SourceFile } from './positions.js';
import { Problems } from './problems.js';
import { findRepoRoot } from './repo-root.js';
import { toProfile } from './resolve.js';
import type { MergedProfile } from './schema.js';
import type { PathSeg } from './schema-tools.js';
import type { Profile } from './types.js';

export interface LoadOptions {
  /** Where profiles/ and overlays/ are; defaults to this checkout. */
  repoRoot?: string;
}

/**
 * Loads a profile by name (<repoRoot>/profiles/NAME.yaml) or by path (relative to the working
 * directory), with the rules and resolve steps of `features` (features/index.ts: loadProfile).
 */
export async function loadProfileWith(features: readonly ProfileFeature[], ref: string, opts: LoadOptions = {}): Promise<Profile> {
  const repoRoot = path.resolve(opts.repoRoot ?? findRepoRoot());
  const abs = profilePath(ref, process.cwd(), repoRoot);
  if (!isFile(abs)) throw new ValidationError([missingProfileMessage(ref, abs)]);

  const schema = profileFileSchema(features);
  const problems = new Problems();
  const files = await loadChain(abs, repoRoot, problems);
  for (const file of files) checkFile(file, repoRoot, problems, features, schema);
  problems.throwIfAny();

  const merged = mergeChain(schema, files, problems);
  const report = (p: PathSeg[], message: string) => reportMerged(merged, problems, p, message);
  const parsed = schema.safeParse(merged.value);
  if (!parsed.success) {
    // Each file was valid on its own, so this should not happen; if it does, say where anyway.
    reportIssues(parsed.error.issues, { schema, base: [], data: merged.value, report });
    problems.throwIfAny();
    throw new Error('unreachable: merged profile failed to parse without issues');
  }
  const where = (p: PathSeg[]) => {
    const { origin, exact } = merged.locate(p);
    if (!exact) return undefined;
    const pos = positionOf(origin.file, origin.path);
    return { at: `${origin.file.display}:${pos.line}:${pos.col}`, depth: files.indexOf(origin.file) };
  };
  // The composed schema's output type is not known statically; MergedProfile is what its parts declare.
  const data = parsed.data as unknown as MergedProfile;
  for (const rule of [...mergedRules, ...features.flatMap((f) => f.mergedRules ?? [])]) rule({ profile: data, report, where });
  problems.throwIfAny();

  return toProfile(data, { merged, sourceFiles: files.map((f) => f.abs), repoRoot, keys: Object.keys(schema.shape) }, features);
}

/** Schema and file rules for one file of the chain. */
function checkFile(file: SourceFile, repoRoot: string, problems: Problems, features: readonly ProfileFeature[], schema: z.ZodType): void {
  const report = (p: PathSeg[], message: string, opts?: { key?: boolean }) => problems.at(file, p, message, opts);
  const result = schema.safeParse(file.data);
  if (!result.success) reportIssues(result.error.issues, { schema, base: [], data: file.data, report });
  for (const rule of [...fileRules, ...features.flatMap((f) => f.fileRules ?? [])]) rule({ file, data: file.data, repoRoot, schema, report });
}

/** A problem in the merged result, placed at the file and node that set the value. */
function reportMerged(merged: Merged, problems: Problems, p: PathSeg[], message: string): void {
  const { origin, exact } = merged.locate(p);
  problems.at(origin.file, origin.path, message, { shownPath: exact ? origin.path : p });
}
