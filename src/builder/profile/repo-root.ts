// SPDX-License-Identifier: GPL-3.0-or-later
// The repository root, found from this module's own location so it works both from src/ (vitest)
// and from dist/ (after tsc) without configuration.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_NAME = 'forensic-live';

/** Walks up from `start` to the first folder whose package.json is named forensic-live. */
export function findRepoRoot(start = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (packageName(path.join(dir, 'package.json')) === PACKAGE_NAME) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no ${PACKAGE_NAME} package.json above ${start}`);
  }
}

function packageName(file: string): string | undefined {
  try {
    const name: unknown = JSON.parse(readFileSync(file, 'utf8')).name;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}
