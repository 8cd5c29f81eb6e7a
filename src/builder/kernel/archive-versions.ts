// SPDX-License-Identifier: GPL-3.0-or-later
// The version apt would install of a few packages, read from the suites' signed indexes (InRelease
// verified with gpgv against Debian's archive keyring, Packages.xz checked against it): the cache
// key of DKMS builds names exact versions, and the build tree installs exactly those.
import path from 'node:path';
import { fetchPackagesIndex, fetchSignedRelease, readIndexPackages } from '../archive/signed-index.js';
import { run } from '../exec/run.js';
import type { Distribution } from '../profile/types.js';
import { UserError } from '../errors.js';

/** The suites the bootstrap uses (SUITE, SUITE-updates, SUITE-security), each with its mirror. */
export function imageSuites(d: Distribution): { suite: string; mirror: string }[] {
  return [
    { suite: d.suite, mirror: d.mirror },
    ...(d.updates ? [{ suite: `${d.suite}-updates`, mirror: d.mirror }] : []),
    ...(d.security_mirror ? [{ suite: `${d.suite}-security`, mirror: d.security_mirror }] : []),
  ];
}

/** Highest version of each named package across the suites; a package no suite has is an error. */
export async function candidateVersions(d: Distribution, names: string[], cacheDir: string): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (!names.length) return found;
  const wanted = new Set(names);
  for (const { suite, mirror } of imageSuites(d)) {
    // The same InRelease copy the reference and SOURCE_DATE_EPOCH use (and fall back to offline).
    const rel = await fetchSignedRelease(mirror, suite, path.join(cacheDir, 'reference-index', suite));
    for (const component of d.components) {
      const { file } = await fetchPackagesIndex(rel, component, d.architecture, path.join(cacheDir, 'reference-index'));
      for (const p of await readIndexPackages(file)) {
        if (!wanted.has(p.name)) continue;
        const had = found.get(p.name);
        if (had === undefined || (await newer(p.version, had))) found.set(p.name, p.version);
      }
    }
  }
  const missing = names.filter((n) => !found.has(n));
  if (missing.length) {
    throw new UserError(`kernel.dkms: ${missing.join(', ')} not found in ${imageSuites(d).map((s) => s.suite).join(', ')} (${d.components.join(', ')})`, 'check the package name (apt-cache search dkms) and distribution.components');
  }
  return found;
}

/** Debian version order, by dpkg itself. */
async function newer(a: string, b: string): Promise<boolean> {
  return (await run(['dpkg', '--compare-versions', a, 'gt', b], { allowFailure: true, label: 'dpkg' })).exitCode === 0;
}
