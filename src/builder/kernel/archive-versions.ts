// SPDX-License-Identifier: GPL-3.0-or-later
// The version apt would install of the DKMS packages (archive/newest.ts): the cache key of DKMS
// builds names exact versions, and the build tree installs exactly those.
import { newestPackages } from '../archive/newest.js';
import { imageSuites } from '../profile/suites.js';
import type { Distribution } from '../profile/types.js';
import { UserError } from '../errors.js';

/** Highest version of each named package across the suites; a package no suite has is an error. */
export async function candidateVersions(d: Distribution, names: string[], cacheDir: string): Promise<Map<string, string>> {
  const found = await newestPackages(d, names, cacheDir);
  const missing = names.filter((n) => !found.has(n));
  if (missing.length) {
    throw new UserError(
      `kernel.dkms: ${missing.join(', ')} not found in ${imageSuites(d)
        .map((s) => s.suite)
        .join(', ')} (${d.components.join(', ')})`,
      'check the package name (apt-cache search dkms) and distribution.components',
    );
  }
  return new Map([...found].map(([name, p]) => [name, p.version]));
}
