// SPDX-License-Identifier: GPL-3.0-or-later
// The trusted reference database: gzip'd UTF-8 text, one record per line, tab-separated, so the
// responder reads it with node:zlib and node:readline only, streaming, and a person can zcat it.
//
//   #forensic-live-reference 1
//   P  name  version  arch  suite  deb-sha256  deb-size        a package; the lines below are its own
//   F  path  mode  size  sha256  md5  md5sums  conffile      a file; mode in octal; md5sums is "="
//                                                            when the package's md5sums lists the same
//                                                            md5, "-" when it does not list the file,
//                                                            else the md5 it lists; conffile "c" or "-"
//   L  path  target                                          a symlink, target as packaged
//   C  path                                                  a conffile the package lists but does not ship
//   S  path  md5                                             an md5sums line for a path not in data.tar
//
// Paths and targets escape "\" "\t" "\n" as \\ \t \n. Records of one package are sorted by path.
// Shared by the builder (writer) and the responder (reader).
import type { DebContents } from './deb.js';

export const REFDB_MAGIC = '#forensic-live-reference 1';
export const REFDB_FILE = 'reference.db.gz';
export const INDEX_FILE = 'packages.idx.gz';
export const MANIFEST_FILE = 'manifest.json';

export interface RefPackage {
  name: string;
  version: string;
  arch: string;
  suite: string;
  debSha256: string;
  debSize: number;
}

export interface RefFile {
  kind: 'F';
  path: string;
  mode: number;
  size: number;
  sha256: string;
  md5: string;
  /** What the trusted package's md5sums says for this path (undefined: not listed). */
  md5sums?: string;
  conffile: boolean;
}

export interface RefLink {
  kind: 'L';
  path: string;
  target: string;
}

export type RefRecord = ({ kind: 'P' } & RefPackage) | RefFile | RefLink | { kind: 'C'; path: string } | { kind: 'S'; path: string; md5: string };

export function escapeField(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
}

export function unescapeField(s: string): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(.)/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c));
}

/** A package's own P line. */
export function packageHeader(pkg: RefPackage): string {
  return ['P', pkg.name, pkg.version, pkg.arch, pkg.suite, pkg.debSha256, String(pkg.debSize)].join('\t');
}

/** The lines of one package, sorted by path (so the database is byte-for-byte reproducible). */
export function packageLines(pkg: RefPackage, deb: DebContents): string[] {
  const lines = [packageHeader(pkg)];
  const conffiles = new Set(deb.conffiles);
  const shipped = new Set<string>();
  const body: [string, string][] = [];
  for (const e of deb.entries) {
    shipped.add(e.path);
    const p = escapeField(e.path);
    if (e.type === 'symlink') {
      body.push([e.path, ['L', p, escapeField(e.target ?? '')].join('\t')]);
      continue;
    }
    const listed = deb.md5sums.get(e.path);
    const md5sums = listed === undefined ? '-' : listed === e.md5 ? '=' : listed;
    body.push([e.path, ['F', p, e.mode.toString(8), String(e.size), e.sha256, e.md5, md5sums, conffiles.has(e.path) ? 'c' : '-'].join('\t')]);
  }
  for (const c of conffiles) if (!shipped.has(c)) body.push([c, ['C', escapeField(c)].join('\t')]);
  for (const [p, md5] of deb.md5sums) if (!shipped.has(p)) body.push([p, ['S', escapeField(p), md5].join('\t')]);
  body.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return lines.concat(body.map(([, l]) => l));
}

export class RefDbError extends Error {
  override name = 'RefDbError';
}

/** One line back into a record; undefined for the header and blank lines. Throws on a damaged line. */
export function parseRefLine(line: string): RefRecord | undefined {
  if (line === '' || line.startsWith('#')) return undefined;
  const f = line.split('\t');
  switch (f[0]) {
    case 'P':
      if (f.length !== 7) break;
      return { kind: 'P', name: f[1]!, version: f[2]!, arch: f[3]!, suite: f[4]!, debSha256: f[5]!, debSize: Number(f[6]) };
    case 'F': {
      if (f.length !== 8) break;
      const md5 = f[5]!;
      const md5sums = f[6] === '-' ? undefined : f[6] === '=' ? md5 : f[6]!;
      return { kind: 'F', path: unescapeField(f[1]!), mode: parseInt(f[2]!, 8), size: Number(f[3]), sha256: f[4]!, md5, md5sums, conffile: f[7] === 'c' };
    }
    case 'L':
      if (f.length !== 3) break;
      return { kind: 'L', path: unescapeField(f[1]!), target: unescapeField(f[2]!) };
    case 'C':
      if (f.length !== 2) break;
      return { kind: 'C', path: unescapeField(f[1]!) };
    case 'S':
      if (f.length !== 3) break;
      return { kind: 'S', path: unescapeField(f[1]!), md5: f[2]! };
  }
  throw new RefDbError(`damaged reference line: ${line.slice(0, 80)}`);
}

/** packages.idx.gz: every package of the suites' signed indexes, to trust .debs given with --debs. */
export interface IndexEntry {
  name: string;
  version: string;
  arch: string;
  suite: string;
  sha256: string;
  size: number;
}

export function indexLine(e: IndexEntry): string {
  return [e.name, e.version, e.arch, e.suite, e.sha256, String(e.size)].join('\t');
}

export function parseIndexLine(line: string): IndexEntry | undefined {
  if (!line || line.startsWith('#')) return undefined;
  const f = line.split('\t');
  if (f.length !== 6) throw new RefDbError(`damaged index line: ${line.slice(0, 80)}`);
  return { name: f[0]!, version: f[1]!, arch: f[2]!, suite: f[3]!, sha256: f[4]!, size: Number(f[5]) };
}

export interface ReferenceManifest {
  format: 1;
  createdAt: string;
  builder: string;
  keyring: { file: string; sha256: string };
  suites: { suite: string; mirror: string; date: string; validUntil?: string; inReleaseSha256: string; signedBy: string[]; packagesSha256: string[] }[];
  selection: unknown;
  packages: number;
  files: number;
  bytes: { database: number; index: number; debsDownloaded: number };
  bytesPer1000Packages: number;
}
