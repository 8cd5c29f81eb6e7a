// SPDX-License-Identifier: GPL-3.0-or-later
// The selected .debs, downloaded into the build cache (reference-debs/<sha256>.deb, content
// addressed) and each checked against the SHA256 its signed Packages index gives. A file appears
// under its final name only once it matched, so a killed build never leaves a .deb the next one
// trusts; a cached file is hashed again before use.
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileSha256 } from '../hash.js';
import type { SelectedPackage } from './select.js';

export interface FetchedDeb {
  pkg: SelectedPackage;
  file: string;
  downloaded: boolean;
}

export async function fetchDeb(pkg: SelectedPackage, cacheDir: string): Promise<FetchedDeb> {
  const dir = path.join(cacheDir, 'reference-debs');
  const file = path.join(dir, `${pkg.sha256}.deb`);
  if (existsSync(file) && (await fileSha256(file)) === pkg.sha256) return { pkg, file, downloaded: false };
  await mkdir(dir, { recursive: true });
  const tmp = `${file}.partial-${process.pid}`;
  const url = `${pkg.mirror}/${pkg.filename}`;
  await downloadFile(url, tmp);
  const got = await fileSha256(tmp);
  if (got !== pkg.sha256) {
    await rm(tmp, { force: true });
    throw new Error(`${url}: SHA256 ${got} does not match the signed Packages index (${pkg.sha256})`);
  }
  await rename(tmp, file);
  return { pkg, file, downloaded: true };
}

/** Streamed to disk (a kernel package is tens of MB); the timeout covers the whole transfer. */
export async function downloadFile(url: string, file: string, timeoutMs = 10 * 60_000): Promise<void> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok || !res.body) throw new Error(`${url}: HTTP ${res.status}`);
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(file));
}

/** Run `fn` over `items` with at most `limit` at a time, keeping the input order in the result. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
