// SPDX-License-Identifier: GPL-3.0-or-later
// The package apt would install, read from the image's suites' signed indexes (InRelease verified
// with gpgv, Packages.xz checked against it): the newest version of each name across SUITE,
// SUITE-updates and SUITE-security. Used for DKMS versions (kernel/) and Secure Boot's signed
// binaries (secure-boot/signed-boot.ts).
import path from 'node:path';
import { run } from '../exec/run.js';
import type { Distribution } from '../profile/types.js';
import { imageSuites } from '../profile/suites.js';
import { fetchPackagesIndex, fetchSignedRelease, readIndexPackages, type IndexPackage } from './signed-index.js';

export interface SuitePackage extends IndexPackage {
  suite: string;
  mirror: string;
}

/** Newest of each named package across the suites (architecture or all); names no suite has are absent. */
export async function newestPackages(d: Distribution, names: string[], cacheDir: string): Promise<Map<string, SuitePackage>> {
  const found = new Map<string, SuitePackage>();
  if (!names.length) return found;
  const wanted = new Set(names);
  for (const { suite, mirror } of imageSuites(d)) {
    // The same InRelease copy the reference and SOURCE_DATE_EPOCH use (and fall back to offline).
    const rel = await fetchSignedRelease(mirror, suite, path.join(cacheDir, 'reference-index', suite));
    for (const component of d.components) {
      const { file } = await fetchPackagesIndex(rel, component, d.architecture, path.join(cacheDir, 'reference-index'));
      for (const p of await readIndexPackages(file, (n) => wanted.has(n))) {
        if (p.arch !== d.architecture && p.arch !== 'all') continue;
        const had = found.get(p.name);
        if (had === undefined || (await newer(p.version, had.version))) found.set(p.name, { ...p, suite, mirror });
      }
    }
  }
  return found;
}

/** Debian version order, by dpkg itself. */
async function newer(a: string, b: string): Promise<boolean> {
  return (await run(['dpkg', '--compare-versions', a, 'gt', b], { allowFailure: true, label: 'dpkg' })).exitCode === 0;
}
