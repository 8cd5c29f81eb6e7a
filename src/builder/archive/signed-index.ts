// SPDX-License-Identifier: GPL-3.0-or-later
// The builder's view of the archive's chain of trust (src/shared/debian/archive.ts, which the
// responder's `verify --mirror` uses too): the same code, with gpgv run through the builder's
// command runner so that it appears in the build log.
import { fetchSignedRelease as fetchShared, type SignedRelease } from '../../shared/debian/archive.js';
import { run } from '../exec/run.js';
import { ARCHIVE_KEYRING } from '../stages/bootstrap-argv.js';

export { fetchPackagesIndex, parseDepends, readIndexPackages, releaseField, sha256FromRelease } from '../../shared/debian/archive.js';
export type { IndexPackage, SignedRelease } from '../../shared/debian/archive.js';

/** Download and verify dists/SUITE/InRelease; throws unless gpgv reports a good signature. */
export function fetchSignedRelease(
  mirror: string,
  suite: string,
  dir: string,
  keyring = ARCHIVE_KEYRING,
  /** Offline: verify the copy an earlier call downloaded instead of downloading (the signature is checked again). */
  opts: { cachedCopy?: boolean } = {},
): Promise<SignedRelease> {
  return fetchShared(mirror, suite, dir, { keyring, cachedCopy: opts.cachedCopy, run: (argv) => run(argv, { allowFailure: true, label: 'gpgv' }) });
}
