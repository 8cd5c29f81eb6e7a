// SPDX-License-Identifier: GPL-3.0-or-later
// Where the builder's own files are, whether it runs from src/ (tests) or dist/ (installed).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function repoRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (dir !== path.dirname(dir)) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'forensic-live') {
      cached = dir;
      return dir;
    }
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the forensic-live repository root above ' + fileURLToPath(import.meta.url));
}

export const DEFAULT_CACHE_DIR = '/var/cache/build-live';
export const DEFAULT_WORK_DIR = '/var/tmp/build-live';
export const DEFAULT_OUT_DIR = 'out';
