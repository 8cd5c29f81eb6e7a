// SPDX-License-Identifier: GPL-3.0-or-later
// .debs chosen from a signed index (the reference's selection, Secure Boot's binaries), downloaded
// into the build cache (reference-debs/<sha256>.deb, content addressed) and each checked against
// the SHA256 its signed Packages index gives, through the shared fetchByHash: a file appears under
// its final name only once it matched, so a killed build never leaves a .deb the next one trusts,
// and a cached file is hashed again before use.
import path from 'node:path';
import { fetchByHash } from '../../shared/debian/archive.js';

/** What fetching needs of a package chosen from a signed index (the reference's selection, Secure Boot's binaries). */
export interface DebRef {
  mirror: string;
  filename: string;
  sha256: string;
}

export interface FetchedDeb<P extends DebRef = DebRef> {
  pkg: P;
  file: string;
  downloaded: boolean;
}

export async function fetchDeb<P extends DebRef>(pkg: P, cacheDir: string): Promise<FetchedDeb<P>> {
  const file = path.join(cacheDir, 'reference-debs', `${pkg.sha256}.deb`);
  const got = await fetchByHash(`${pkg.mirror}/${pkg.filename}`, pkg.sha256, file);
  return { pkg, ...got };
}
