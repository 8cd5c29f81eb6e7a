// SPDX-License-Identifier: GPL-3.0-or-later
// SOURCE_DATE_EPOCH (reproducible-builds.org): the one timestamp every file, layer, image and
// volume date of a build is set to, so the same profile, archive state and builder give a
// bit-identical ISO. Where it comes from, first match wins:
//   1. the SOURCE_DATE_EPOCH environment variable (what an auditor sets to rebuild a release);
//   2. the profile's reproducible.source_date_epoch: a number, or `git` (the repository's last commit);
//   3. the archive state: a snapshot's time, else the Date of the suite's signed InRelease (for a
//      stable suite that changes only with a point release, so cached layers stay valid; offline,
//      the copy that verified last).
import path from 'node:path';
import { UserError } from '../errors.js';
import { capture } from '../exec/run.js';
import { fetchSignedRelease } from '../archive/signed-index.js';
import type { Profile } from '../profile/index.js';
import { snapshotEpoch } from './snapshot.js';

export interface SourceDateEpoch {
  epoch: number;
  /** Where it came from, for build.json and the log. */
  from: string;
}

export function parseEpoch(value: string, where: string): number {
  if (!/^\d{1,12}$/.test(value.trim())) throw new UserError(`${where}: "${value}" is not a Unix time (whole seconds since 1970)`, undefined, 2);
  return Number(value.trim());
}

export async function resolveSourceDateEpoch(p: Profile, opts: { repoRoot: string; cacheDir: string; env?: NodeJS.ProcessEnv }): Promise<SourceDateEpoch> {
  const env = opts.env ?? process.env;
  if (env.SOURCE_DATE_EPOCH !== undefined && env.SOURCE_DATE_EPOCH !== '') {
    return { epoch: parseEpoch(env.SOURCE_DATE_EPOCH, 'SOURCE_DATE_EPOCH'), from: 'environment SOURCE_DATE_EPOCH' };
  }
  const setting = p.reproducible.source_date_epoch;
  if (typeof setting === 'number') return { epoch: setting, from: 'profile reproducible.source_date_epoch' };
  if (setting === 'git') return gitEpoch(opts.repoRoot);
  if (p.distribution.snapshot) return { epoch: snapshotEpoch(p.distribution.snapshot), from: `archive snapshot ${p.distribution.snapshot}` };
  return archiveEpoch(p, opts.cacheDir);
}

async function gitEpoch(repoRoot: string): Promise<SourceDateEpoch> {
  let out: string;
  try {
    out = await capture(['git', '-C', repoRoot, 'log', '-1', '--format=%ct'], { label: 'git' });
  } catch {
    throw new UserError(`reproducible.source_date_epoch is "git", but ${repoRoot} is not a git checkout with a commit`, 'set a number, or leave it at "archive"', 2);
  }
  return { epoch: parseEpoch(out, 'git log'), from: 'git commit time of the repository' };
}

/** The Date of the suite's InRelease, verified with gpgv (offline: the last copy that verified). */
async function archiveEpoch(p: Profile, cacheDir: string): Promise<SourceDateEpoch> {
  const d = p.distribution;
  let rel;
  try {
    rel = await fetchSignedRelease(d.mirror, d.suite, path.join(cacheDir, 'reference-index', d.suite));
  } catch (err) {
    throw new UserError(
      `cannot read the archive's date for SOURCE_DATE_EPOCH: ${(err as Error).message}`,
      'check the network, or set SOURCE_DATE_EPOCH (or reproducible.source_date_epoch) to build offline',
    );
  }
  const ms = Date.parse(rel.date);
  if (!Number.isFinite(ms)) throw new UserError(`${d.mirror}/dists/${d.suite}/InRelease has no usable Date field ("${rel.date}")`);
  return { epoch: Math.floor(ms / 1000), from: `Date of ${d.suite}'s signed InRelease (${rel.date})` };
}
