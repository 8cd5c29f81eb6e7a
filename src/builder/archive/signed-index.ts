// SPDX-License-Identifier: GPL-3.0-or-later
// The builder's view of the archive's chain of trust (src/shared/debian/archive.ts, which the
// responder's `verify --mirror` uses too): the same code, with gpgv run through the builder's
// command runner so that it appears in the build log. When the archive cannot be reached (a build
// host without network, rebuilding from its cache), the last InRelease that verified is checked
// with gpgv again and used, with a warning; a signature that fails is never worked around.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fetchSignedRelease as fetchShared, type SignedRelease } from '../../shared/debian/archive.js';
import { DownloadError } from '../../shared/net/download.js';
import { log } from '../log.js';
import { run } from '../exec/run.js';
import { ARCHIVE_KEYRING } from '../paths.js';

export { fetchPackagesIndex, parseDepends, readIndexPackages, releaseField, sha256FromRelease } from '../../shared/debian/archive.js';
export type { IndexPackage, SignedRelease } from '../../shared/debian/archive.js';

/** Download and verify dists/SUITE/InRelease; throws unless gpgv reports a good signature. */
export async function fetchSignedRelease(
  mirror: string,
  suite: string,
  dir: string,
  keyring = ARCHIVE_KEYRING,
  /** cachedCopy: do not try the network at all, verify the copy an earlier call downloaded. */
  opts: { cachedCopy?: boolean } = {},
): Promise<SignedRelease> {
  const fetch = (cachedCopy: boolean) => fetchShared(mirror, suite, dir, { keyring, cachedCopy, run: (argv) => run(argv, { allowFailure: true, label: 'gpgv' }) });
  if (opts.cachedCopy) return fetch(true);
  try {
    return await fetch(false);
  } catch (err) {
    // Only an unreachable archive falls back; a bad signature or a refused file does not.
    if (!(err instanceof DownloadError) || !existsSync(path.join(dir, 'InRelease'))) throw err;
    const rel = await fetch(true);
    log.warn(`${err.message}: offline? using ${suite}'s InRelease verified earlier (Date: ${rel.date}; signature checked again)`);
    return rel;
  }
}
