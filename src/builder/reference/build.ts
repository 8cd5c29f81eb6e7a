// SPDX-License-Identifier: GPL-3.0-or-later
// Build the trusted reference database from the archive's chain of trust:
// InRelease (gpgv, Debian's archive keyring) -> Packages (SHA256 from the signed Release) ->
// the selected .debs (SHA256 from Packages) -> every file of each .deb (sha256, size, mode,
// symlink target) with the package's own md5sums and conffiles. Nothing on the build host or in
// the image tree is trusted for it; the result is keyed by the Packages indexes' hashes and the
// selection, so a re-signed InRelease with no package change reuses the cached database.
import { createWriteStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { Writable } from 'node:stream';
import { debRecords } from '../../shared/debian/read-cache.js';
import { indexLine, INDEX_FILE, MANIFEST_FILE, packageHeader, REFDB_FILE, REFDB_MAGIC, type ReferenceManifest } from '../../shared/debian/refdb.js';
import { cacheKey } from '../pipeline/cache.js';
import { fileSha256 } from '../../shared/hash.js';
import { ARCHIVE_KEYRING } from '../paths.js';
import { fetchPackagesIndex, fetchSignedRelease, readIndexPackages, type SignedRelease } from '../archive/signed-index.js';
import { selectPackages, type Selection, type SuiteIndex } from './select.js';
import { mapLimit } from '../../shared/map-limit.js';
import { fetchDeb } from '../archive/fetch-debs.js';

/** Bump when the database's content or layout changes. */
export const REFERENCE_FORMAT = 1;

export interface ReferenceSource {
  suite: string;
  mirror: string;
}

export interface ReferenceRequest {
  sources: ReferenceSource[];
  components: string[];
  arch: string;
  selection: Selection;
  /** Build cache: InRelease copies, Packages indexes and reference-debs/ live below it. */
  cacheDir: string;
  keyring?: string;
  /** The manifest's createdAt (the build's SOURCE_DATE_EPOCH, so the database is reproducible); default now. */
  createdAt?: string;
}

export interface ReferencePlan {
  request: ReferenceRequest;
  releases: SignedRelease[];
  indexFiles: { suite: string; component: string; file: string; sha256: string }[];
  keyringSha256: string;
  /** Cache key of the database: format, selection, and the hashes of the signed Packages indexes. */
  key: string;
}

/** Verify every suite's InRelease and fetch its Packages indexes (cached by hash). Network, no .debs. */
export async function planReference(request: ReferenceRequest): Promise<ReferencePlan> {
  const keyring = request.keyring ?? ARCHIVE_KEYRING;
  const releases: SignedRelease[] = [];
  const indexFiles: ReferencePlan['indexFiles'] = [];
  for (const src of request.sources) {
    const rel = await fetchSignedRelease(src.mirror, src.suite, path.join(request.cacheDir, 'reference-index', src.suite), keyring);
    releases.push(rel);
    for (const component of request.components) {
      const idx = await fetchPackagesIndex(rel, component, request.arch, path.join(request.cacheDir, 'reference-index'));
      indexFiles.push({ suite: src.suite, component, ...idx });
    }
  }
  const keyringSha256 = await fileSha256(keyring);
  const key = cacheKey({
    format: REFERENCE_FORMAT,
    sources: request.sources,
    components: request.components,
    arch: request.arch,
    selection: request.selection,
    indexes: indexFiles.map((i) => i.sha256),
    keyring: keyringSha256,
    createdAt: request.createdAt,
  });
  return { request, releases, indexFiles, keyringSha256, key };
}

async function writeLine(out: Writable, line: string): Promise<void> {
  if (!out.write(line + '\n')) await once(out, 'drain');
}

async function closeGzip(gz: Writable, file: Writable): Promise<void> {
  gz.end();
  await once(file, 'finish');
}

function gzipFile(file: string): { gz: Writable; sink: Writable } {
  const gz = createGzip({ level: 9 });
  const sink = createWriteStream(file);
  gz.pipe(sink);
  return { gz, sink };
}

export interface ReferenceProgress {
  (done: number, total: number): void;
}

/** Download, read and write: DIR/reference.db.gz, DIR/packages.idx.gz, DIR/manifest.json. */
export async function writeReference(plan: ReferencePlan, dir: string, onProgress?: ReferenceProgress): Promise<ReferenceManifest> {
  const req = plan.request;
  await mkdir(dir, { recursive: true });
  const indexes: SuiteIndex[] = [];
  for (const rel of plan.releases) {
    const packages = [];
    for (const f of plan.indexFiles.filter((i) => i.suite === rel.suite)) packages.push(...(await readIndexPackages(f.file)));
    indexes.push({ suite: rel.suite, mirror: rel.mirror, packages });
  }
  const { selected, unknown } = selectPackages(indexes, req.selection, req.arch);
  if (unknown.length) throw new Error(`reference.packages not found in ${req.sources.map((s) => s.suite).join(', ')}: ${unknown.join(', ')}`);
  if (selected.length === 0) throw new Error('the reference selection is empty: set reference.priorities, reference.packages or reference.all');

  // The index of every package the signed Packages files list: lets `responder verify --debs`
  // trust a .deb that is not in the database by its hash.
  const idx = gzipFile(path.join(dir, INDEX_FILE));
  for (const s of indexes) {
    for (const p of s.packages) {
      if (p.arch === req.arch || p.arch === 'all') await writeLine(idx.gz, indexLine({ name: p.name, version: p.version, arch: p.arch, suite: s.suite, sha256: p.sha256, size: p.size }));
    }
  }
  await closeGzip(idx.gz, idx.sink);

  const db = gzipFile(path.join(dir, REFDB_FILE));
  await writeLine(db.gz, REFDB_MAGIC);
  let files = 0;
  let downloaded = 0;
  let done = 0;
  // Batches keep the output in package order while downloads and reads overlap.
  const BATCH = 8;
  for (let i = 0; i < selected.length; i += BATCH) {
    const batch = selected.slice(i, i + BATCH);
    const results = await mapLimit(batch, 2, async (pkg) => {
      const fetched = await fetchDeb(pkg, req.cacheDir);
      if (fetched.downloaded) downloaded += pkg.size;
      const ref = { name: pkg.name, version: pkg.version, arch: pkg.arch, suite: pkg.suite, debSha256: pkg.sha256, debSize: pkg.size };
      let records;
      try {
        // Each .deb (just checked against its signed index) is decompressed and hashed once.
        records = await debRecords(ref, fetched.file, path.join(req.cacheDir, 'reference-read'));
      } catch (err) {
        throw new Error(`${pkg.name} ${pkg.version}: ${(err as Error).message}`);
      }
      onProgress?.(++done, selected.length);
      return [packageHeader(ref), ...records];
    });
    for (const lines of results) {
      files += lines.length - 1;
      for (const l of lines) await writeLine(db.gz, l);
    }
  }
  await closeGzip(db.gz, db.sink);

  const dbBytes = (await stat(path.join(dir, REFDB_FILE))).size;
  const indexBytes = (await stat(path.join(dir, INDEX_FILE))).size;
  const manifest: ReferenceManifest = {
    format: REFERENCE_FORMAT,
    createdAt: req.createdAt ?? new Date().toISOString(),
    builder: 'build-live',
    keyring: { file: req.keyring ?? ARCHIVE_KEYRING, sha256: plan.keyringSha256 },
    suites: plan.releases.map((r) => ({
      suite: r.suite,
      mirror: r.mirror,
      date: r.date,
      ...(r.validUntil ? { validUntil: r.validUntil } : {}),
      inReleaseSha256: r.inReleaseSha256,
      signedBy: r.signedBy,
      packagesSha256: plan.indexFiles.filter((f) => f.suite === r.suite).map((f) => f.sha256),
    })),
    selection: req.selection,
    packages: selected.length,
    files,
    bytes: { database: dbBytes, index: indexBytes, debsDownloaded: downloaded },
    bytesPer1000Packages: Math.round((dbBytes / selected.length) * 1000),
  };
  await writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
