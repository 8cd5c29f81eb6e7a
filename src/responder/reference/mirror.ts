// SPDX-License-Identifier: GPL-3.0-or-later
// `verify --mirror URL`: trusted references fetched online for the package versions that no
// local reference has, through the same chain of trust as the builder's database
// (src/shared/debian/archive.ts): each suite's InRelease verified with gpgv against Debian's
// archive keyring (never skipped; an unsigned or badly signed index is an error naming its URL),
// Packages.xz checked against the signed Release, then the exact .deb checked against Packages
// and read like the builder reads it. Downloads are cached in a folder outside the evidence.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fetchByHash, fetchPackagesIndex, fetchSignedRelease, readIndexPackages, sha256FromRelease, type IndexPackage, type SignedRelease } from '../../shared/debian/archive.js';
import { debRecords, hasDebRecords } from '../../shared/debian/read-cache.js';
import { mapLimit } from '../../shared/map-limit.js';
import { trustedFromLines } from './debs.js';
import { packageKey, type TrustedPackage } from './load.js';
import type { MirrorSuite } from './mirror-suites.js';

const COMPONENTS = ['main', 'contrib', 'non-free', 'non-free-firmware'];

export interface MirrorRequest {
  suites: MirrorSuite[];
  keyring: string;
  cacheDir: string;
  /** Package versions still without a reference: name, version, architecture. */
  missing: { name: string; version: string; arch: string }[];
}

export interface MirrorResult {
  added: TrustedPackage[];
  releases: SignedRelease[];
  /** .deb bytes downloaded (not from the cache). */
  downloaded: number;
}

const short = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);

export async function packagesFromMirror(req: MirrorRequest): Promise<MirrorResult> {
  const wanted = new Set(req.missing.map((m) => packageKey(m.name, m.version, m.arch)));
  const names = new Set(req.missing.map((m) => m.name));
  const archs = [...new Set(req.missing.map((m) => m.arch).filter((a) => a !== 'all'))];
  if (archs.length === 0) archs.push('all');
  const releases: SignedRelease[] = [];
  const hits = new Map<string, { p: IndexPackage; rel: SignedRelease }>();
  for (const s of req.suites) {
    const rel = await fetchSignedRelease(s.mirror, s.suite, path.join(req.cacheDir, 'dists', short(s.mirror), s.suite), { keyring: req.keyring });
    releases.push(rel);
    for (const arch of archs) {
      for (const component of COMPONENTS) {
        if (!sha256FromRelease(rel.text, `${component}/binary-${arch}/Packages.xz`)) continue;
        const { file } = await fetchPackagesIndex(rel, component, arch, path.join(req.cacheDir, 'indexes'));
        for (const p of await readIndexPackages(file, (name) => names.has(name))) {
          const key = packageKey(p.name, p.version, p.arch);
          if (wanted.has(key) && !hits.has(key)) hits.set(key, { p, rel });
        }
      }
    }
  }
  let downloaded = 0;
  const added = await mapLimit([...hits.values()], 4, async ({ p, rel }) => {
    const pkg = { name: p.name, version: p.version, arch: p.arch, suite: rel.suite, debSha256: p.sha256, debSize: p.size };
    // A second verify with the same cache reads no .deb again (read-cache.ts).
    const readDir = path.join(req.cacheDir, 'read');
    let debFile = '';
    if (!hasDebRecords(p.sha256, readDir)) {
      const got = await fetchByHash(`${rel.mirror}/${p.filename}`, p.sha256, path.join(req.cacheDir, 'debs', `${p.sha256}.deb`));
      if (got.downloaded) downloaded += p.size;
      debFile = got.file;
    }
    let lines;
    try {
      lines = await debRecords(pkg, debFile, readDir);
    } catch (err) {
      throw new Error(`${rel.mirror}/${p.filename}: ${(err as Error).message}`);
    }
    return trustedFromLines(pkg, lines);
  });
  return { added, releases, downloaded };
}
