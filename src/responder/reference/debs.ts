// SPDX-License-Identifier: GPL-3.0-or-later
// `verify --debs DIR`: .deb files as a trusted reference, but only those whose sha256 a signed
// Packages index lists (packages.idx.gz, written by the builder from the verified InRelease ->
// Packages chain). A .deb that no trusted index knows is ignored and said so: a file in a folder
// is not a trust anchor.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { readDeb, type DebContents } from '../../shared/debian/deb.js';
import { packageLines, parseRefLine, type IndexEntry, type RefPackage } from '../../shared/debian/refdb.js';
import { sha256File } from '../evidence/root-path.js';
import { packageKey, type TrustedPackage } from './load.js';

export interface DebsResult {
  added: TrustedPackage[];
  untrusted: string[];
}

/** A .deb read as a trusted package, through the same serialisation as the database, so both behave identically. */
export function trustedFromDeb(pkg: RefPackage, deb: DebContents): TrustedPackage {
  return trustedFromLines(pkg, packageLines(pkg, deb).slice(1));
}

/** A package's records (database lines after its P line) as a trusted package. */
export function trustedFromLines(pkg: RefPackage, lines: string[]): TrustedPackage {
  const t: TrustedPackage = { pkg, files: [], links: [], unshippedConffiles: [], extraMd5sums: new Map() };
  for (const line of lines) {
    const rec = parseRefLine(line);
    if (rec?.kind === 'F') t.files.push(rec);
    else if (rec?.kind === 'L') t.links.push(rec);
    else if (rec?.kind === 'C') t.unshippedConffiles.push(rec.path);
    else if (rec?.kind === 'S') t.extraMd5sums.set(rec.path, rec.md5);
  }
  return t;
}

export async function packagesFromDebs(dir: string, index: Map<string, IndexEntry>, wanted: Set<string>, have: Map<string, TrustedPackage>): Promise<DebsResult> {
  const added: TrustedPackage[] = [];
  const untrusted: string[] = [];
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.deb'))
    .sort();
  for (const n of names) {
    const file = path.join(dir, n);
    const entry = index.get(sha256File(file));
    if (!entry) {
      untrusted.push(n);
      continue;
    }
    const key = packageKey(entry.name, entry.version, entry.arch);
    if (!wanted.has(key) || have.has(key)) continue;
    const pkg = { name: entry.name, version: entry.version, arch: entry.arch, suite: entry.suite, debSha256: entry.sha256, debSize: entry.size };
    const t = trustedFromDeb(pkg, await readDeb(file));
    have.set(key, t);
    added.push(t);
  }
  return { added, untrusted };
}
