// SPDX-License-Identifier: GPL-3.0-or-later
// Downloads for the archive code (builder and responder): node:http/https, streamed to a file,
// redirects followed (a few), one timeout for the whole transfer. Not fetch(): on the image's
// Node 18 it is still experimental and prints a warning. Nothing here is trusted: every caller
// checks what it got against a hash from a signed index (src/shared/debian/archive.ts).
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';

const MAX_REDIRECTS = 5;

export class DownloadError extends Error {
  override name = 'DownloadError';
}

function get(url: string, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      reject(new DownloadError(`${url}: not a URL`));
      return;
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') {
      reject(new DownloadError(`${url}: only http and https are supported`));
      return;
    }
    const req = (u.protocol === 'https:' ? https : http).get(u, { signal, headers: { 'user-agent': 'forensic-live' } }, resolve);
    req.on('error', (err) => reject(new DownloadError(`${url}: ${signal.aborted ? 'timed out' : err.message}`)));
  });
}

/** Download `url` into `file` (created or replaced); throws DownloadError naming the URL. */
export async function downloadFile(url: string, file: string, timeoutMs = 10 * 60_000): Promise<void> {
  const signal = AbortSignal.timeout(timeoutMs);
  let current = url;
  for (let hop = 0; ; hop++) {
    const res = await get(current, signal);
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      if (hop >= MAX_REDIRECTS) throw new DownloadError(`${url}: too many redirects`);
      current = new URL(res.headers.location, current).href;
      continue;
    }
    if (status !== 200) {
      res.resume();
      throw new DownloadError(`${current}: HTTP ${status}`);
    }
    try {
      await pipeline(res, createWriteStream(file));
    } catch (err) {
      await rm(file, { force: true });
      throw new DownloadError(`${current}: ${signal.aborted ? 'timed out' : (err as Error).message}`);
    }
    return;
  }
}
