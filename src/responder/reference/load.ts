// SPDX-License-Identifier: GPL-3.0-or-later
// Reading the trusted reference (written by the builder, format in src/shared/debian/refdb.ts):
// streamed through node:zlib and node:readline, keeping only the packages asked for, so memory
// follows what the evidence has installed, not the size of the database.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createGunzip } from 'node:zlib';
import {
  INDEX_FILE,
  MANIFEST_FILE,
  parseIndexLine,
  parseRefLine,
  REFDB_FILE,
  REFDB_MAGIC,
  type IndexEntry,
  type RefFile,
  type RefLink,
  type RefPackage,
  type ReferenceManifest,
} from '../../shared/debian/refdb.js';
import { ResponderError, UsageError } from '../lib/errors.js';

/** Where the forensic image carries its reference (reference/stage.ts in the builder). */
export const DEFAULT_REFERENCE_DIR = '/usr/share/forensic-live/reference';

export interface ReferenceSource {
  db: string;
  index?: string;
  manifest?: ReferenceManifest;
}

export interface TrustedPackage {
  pkg: RefPackage;
  files: RefFile[];
  links: RefLink[];
  /** Conffiles the package lists but does not ship. */
  unshippedConffiles: string[];
  /** md5sums lines for paths not in data.tar. */
  extraMd5sums: Map<string, string>;
}

export const packageKey = (name: string, version: string, arch: string) => `${name}\t${version}\t${arch}`;

/** Each argument is a reference folder or a reference.db.gz; none: the image's own, if present. */
export function findReferences(args: string[]): ReferenceSource[] {
  const list = args.length ? args : existsSync(path.join(DEFAULT_REFERENCE_DIR, REFDB_FILE)) ? [DEFAULT_REFERENCE_DIR] : [];
  return list.map((a) => {
    let st;
    try {
      st = statSync(a);
    } catch {
      throw new UsageError(`--reference ${a}: no such file or folder`);
    }
    const dir = st.isDirectory() ? a : path.dirname(a);
    const db = st.isDirectory() ? path.join(a, REFDB_FILE) : a;
    if (!existsSync(db)) throw new UsageError(`--reference ${a}: no ${REFDB_FILE} there`);
    const index = path.join(dir, INDEX_FILE);
    let manifest: ReferenceManifest | undefined;
    try {
      manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as ReferenceManifest;
    } catch {
      manifest = undefined;
    }
    return { db, index: existsSync(index) ? index : undefined, manifest };
  });
}

/**
 * The lines of a gzip'd file, streamed: split by hand, which is several times faster than
 * node:readline on a database of hundreds of thousands of short lines.
 */
async function* lines(file: string): AsyncGenerator<string> {
  let rest = '';
  try {
    for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 }).pipe(createGunzip({ chunkSize: 1 << 20 }))) {
      const text = rest + (chunk as Buffer).toString('utf8');
      const parts = text.split('\n');
      rest = parts.pop()!;
      yield* parts;
    }
  } catch (err) {
    throw new ResponderError(`${file}: cannot read the reference (${(err as Error).message})`, 2);
  }
  if (rest) yield rest;
}

type AnyRecord = Exclude<ReturnType<typeof parseRefLine>, undefined>;

/**
 * Every record of one database (a package's own P record first), with the package it belongs to.
 * With `want`, the file records of the packages it refuses are skipped unparsed (P records are
 * always given).
 */
export async function* scanReference(src: ReferenceSource, want?: (pkg: RefPackage) => boolean): AsyncGenerator<{ pkg: RefPackage; rec: AnyRecord }> {
  let first = true;
  let pkg: RefPackage | undefined;
  let skip = false;
  for await (const line of lines(src.db)) {
    if (skip && line.charCodeAt(0) !== 80 /* P */) continue;
    if (first) {
      first = false;
      if (line !== REFDB_MAGIC) throw new ResponderError(`${src.db}: not a forensic-live reference database (first line "${line.slice(0, 40)}")`, 2);
      continue;
    }
    let rec;
    try {
      rec = parseRefLine(line);
    } catch (err) {
      throw new ResponderError(`${src.db}: ${(err as Error).message}`, 2);
    }
    if (!rec) continue;
    if (rec.kind === 'P') {
      pkg = rec;
      skip = want !== undefined && !want(pkg);
    }
    if (!pkg) throw new ResponderError(`${src.db}: file record before any package`, 2);
    yield { pkg, rec };
  }
}

/** The trusted packages among `wanted` (keys from packageKey), and every version each name has. */
export async function loadPackages(sources: ReferenceSource[], wanted: Set<string>): Promise<{ found: Map<string, TrustedPackage>; versions: Map<string, Set<string>> }> {
  const found = new Map<string, TrustedPackage>();
  const versions = new Map<string, Set<string>>();
  for (const src of sources) {
    let current: TrustedPackage | undefined;
    const want = (p: RefPackage) => {
      const key = packageKey(p.name, p.version, p.arch);
      return wanted.has(key) && !found.has(key);
    };
    for await (const { pkg, rec } of scanReference(src, want)) {
      if (rec.kind === 'P') {
        const key = packageKey(pkg.name, pkg.version, pkg.arch);
        (versions.get(pkg.name) ?? versions.set(pkg.name, new Set()).get(pkg.name)!).add(`${pkg.version} (${pkg.arch}, ${pkg.suite})`);
        current = wanted.has(key) && !found.has(key) ? { pkg, files: [], links: [], unshippedConffiles: [], extraMd5sums: new Map() } : undefined;
        if (current) found.set(key, current);
        continue;
      }
      if (!current) continue;
      if (rec.kind === 'F') current.files.push(rec);
      else if (rec.kind === 'L') current.links.push(rec);
      else if (rec.kind === 'C') current.unshippedConffiles.push(rec.path);
      else if (rec.kind === 'S') current.extraMd5sums.set(rec.path, rec.md5);
    }
  }
  return { found, versions };
}

/** sha256 of a .deb -> the package the signed indexes say it is. */
export async function loadIndex(sources: ReferenceSource[]): Promise<Map<string, IndexEntry>> {
  const out = new Map<string, IndexEntry>();
  for (const src of sources) {
    if (!src.index) continue;
    for await (const line of lines(src.index)) {
      const e = parseIndexLine(line);
      if (e) out.set(e.sha256, e);
    }
  }
  return out;
}
