// SPDX-License-Identifier: GPL-3.0-or-later
// Where the builder's own files are, whether it runs from src/ (tests) or dist/ (installed).
import { findRepoRoot } from './profile/repo-root.js';

let cached: string | undefined;

export function repoRoot(): string {
  cached ??= findRepoRoot();
  return cached;
}

export const DEFAULT_CACHE_DIR = '/var/cache/build-live';
export const DEFAULT_WORK_DIR = '/var/tmp/build-live';
export const DEFAULT_OUT_DIR = 'out';
