// SPDX-License-Identifier: GPL-3.0-or-later
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real builds and QEMU boots share the machine's two cores and the build cache: one file at a time.
    fileParallelism: false,
    pool: 'forks',
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/stages/**/*.test.ts', 'test/bad-profiles/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 30 * 60_000,
          hookTimeout: 30 * 60_000,
        },
      },
      // Boots guests that remake committed fixtures (test/fixtures/evidence): only on demand
      // (scripts/make-test-fixtures), never in the default run or CI.
      ...(process.env.FORENSIC_LIVE_MAKE_FIXTURES === '1'
        ? [{ test: { name: 'fixture-makers', include: ['test/fixture-makers/**/*.test.ts'], testTimeout: 60 * 60_000, hookTimeout: 60 * 60_000 } }]
        : []),
    ],
  },
});
