// SPDX-License-Identifier: GPL-3.0-or-later
// A scratch folder under test-out for one fixture maker, removed afterwards whatever happens.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { TEST_OUT } from '../helpers/e2e.js';

export async function inScratch(fn: (dir: string) => Promise<void>): Promise<void> {
  mkdirSync(TEST_OUT, { recursive: true });
  const dir = mkdtempSync(path.join(TEST_OUT, 'fixture-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
