// SPDX-License-Identifier: GPL-3.0-or-later
// The checks that need the network: the mirror answers with a validly signed InRelease, and there
// is room on disk for what the profile will install.
import { statfs } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Profile } from '../profile/index.js';
import { fetchPackagesIndex, fetchSignedRelease, readIndexPackages } from '../archive/signed-index.js';
import { estimateInstall, type PackageInfo } from './archive.js';
import type { CheckResult } from './types.js';

/** Space a cold build needs, as a multiple of the installed size: tree + .debs + base squashfs + ISO. */
export const SPACE_FACTOR = 2.2;

export async function mirrorAndSpaceChecks(profile: Profile, dirs: { cache: string; work: string; out: string }): Promise<CheckResult[]> {
  const d = profile.distribution;
  let index;
  try {
    const dir = path.join(dirs.cache, 'doctor', d.suite);
    const release = await fetchSignedRelease(d.mirror, d.suite, dir);
    const { file } = await fetchPackagesIndex(release, 'main', d.architecture, dir);
    index = new Map<string, PackageInfo>((await readIndexPackages(file)).map((p) => [p.name, p]));
  } catch (err) {
    return [
      {
        name: 'mirror',
        status: 'fail',
        detail: `${d.mirror} (${d.suite}): ${(err as Error).message}`,
        fix: "check the network and the profile's distribution.mirror (and that debian-archive-keyring is installed and current)",
      },
    ];
  }
  const results: CheckResult[] = [{ name: 'mirror', status: 'ok', detail: `${d.mirror} ${d.suite}: InRelease signature good (Debian archive keyring), Packages hash matches` }];
  const est = estimateInstall(index, d.variant, profile.packages);
  const neededBytes = est.installedKiB * 1024 * SPACE_FACTOR;
  const free = await freeBytes(dirs.cache);
  const gib = (n: number) => (n / 2 ** 30).toFixed(1);
  const unknown = est.unknown.filter((u) => profile.packages.includes(u));
  results.push({
    name: 'disk space',
    status: free >= neededBytes ? 'ok' : 'fail',
    detail: `profile ${profile.name}: about ${est.packages} packages, ${gib(est.installedKiB * 1024)} GiB installed; a cold build needs about ${gib(neededBytes)} GiB, ${gib(free)} GiB free at ${dirs.cache}`,
    fix: free >= neededBytes ? undefined : `free space there, or use --cache/--work on a larger disk`,
  });
  if (unknown.length) {
    results.push({
      name: 'packages',
      status: 'fail',
      detail: `not in ${d.suite} main: ${unknown.join(', ')}`,
      fix: 'fix the names in the profile (apt-cache policy NAME) or add the component that has them',
    });
  }
  return results;
}

async function freeBytes(dir: string): Promise<number> {
  let p = path.resolve(dir);
  while (!existsSync(p)) p = path.dirname(p);
  const s = await statfs(p);
  return s.bavail * s.bsize;
}
