// SPDX-License-Identifier: GPL-3.0-or-later
// The selected .debs, downloaded into the build cache (reference-debs/<sha256>.deb, content
// addressed) and each checked against the SHA256 its signed Packages index gives, through the
// shared fetchByHash: a file appears under its final name only once it matched, so a killed build
// never leaves a .deb the next one trusts, and a cached file is hashed again before use.
import path from 'node:path';
import { fetchByHash } from '../../shared/debian/archive.js';
import type { SelectedPackage } from '../reference/select.js';

export interface FetchedDeb {
  pkg: SelectedPackage;
  file: string;
  downloaded: boolean;
}

export async function fetchDeb(pkg: SelectedPackage, cacheDir: string): Promise<FetchedDeb> {
  const file = path.join(cacheDir, 'reference-debs', `${pkg.sha256}.deb`);
  const got = await fetchByHash(`${pkg.mirror}/${pkg.filename}`, pkg.sha256, file);
  return { pkg, ...got };
}
