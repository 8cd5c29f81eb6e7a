// SPDX-License-Identifier: GPL-3.0-or-later
// What a .deb was read into (its reference records: every file's sha256, size, mode, md5sums,
// conffiles), kept in a cache folder under the .deb's own sha256, so the same .deb is decompressed
// and hashed once: a rebuilt reference (builder) or a second `verify --mirror` (responder) reads
// these few lines instead. Only ever written after the .deb was checked against a signed index.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readDeb } from './deb.js';
import { packageLines, type RefPackage } from './refdb.js';

/** The package's records (the database lines after its P line), from DIR/<debSha256>.ref or by reading the .deb. */
export async function debRecords(pkg: RefPackage, debFile: string, cacheDir: string): Promise<string[]> {
  const file = path.join(cacheDir, `${pkg.debSha256}.ref`);
  if (existsSync(file)) {
    const text = readFileSync(file, 'utf8');
    return text ? text.split('\n') : [];
  }
  const lines = packageLines(pkg, await readDeb(debFile)).slice(1);
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, lines.join('\n'));
  renameSync(tmp, file); // appears complete or not at all
  return lines;
}

/** Whether the records of this .deb are cached (then the .deb itself is not needed). */
export function hasDebRecords(debSha256: string, cacheDir: string): boolean {
  return existsSync(path.join(cacheDir, `${debSha256}.ref`));
}
