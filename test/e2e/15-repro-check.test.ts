// SPDX-License-Identifier: GPL-3.0-or-later
// Reproducible builds: `build-live repro-check` builds minimal twice into separate work trees, the
// second time without the stage cache (a fresh mmdebstrap, initramfs, squashfs, GRUB, ESP and
// ISO), and the two ISOs must be bit-identical. The first build reuses what 10-build-minimal
// cached, so this costs one cold build.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_DIR, runCli, TEST_OUT } from '../helpers/e2e.js';

interface Verdict {
  identical: boolean;
  sourceDateEpoch: { epoch: number; from: string };
  first: { iso: string; sha256: string };
  second: { iso: string; sha256: string };
  differences?: { paths: string[]; firstByte?: number };
}

describe('repro-check on minimal', () => {
  it('builds twice (second time with no cache) and gets the same ISO, byte for byte', async () => {
    const out = path.join(TEST_OUT, 'repro-minimal');
    const r = await runCli(['repro-check', '--profile', 'minimal', '--out', out, '--cache', CACHE_DIR, '--json']);
    const verdict = JSON.parse(r.stdout) as Verdict;
    if (!verdict.identical) process.stderr.write(`repro-check differences:\n${JSON.stringify(verdict.differences, null, 2)}\n`);
    expect(verdict.identical).toBe(true);
    expect(r.code).toBe(0);
    expect(verdict.first.sha256).toBe(verdict.second.sha256);
    // The second build really ran every stage again, and both used the same timestamp.
    const second = JSON.parse(readFileSync(path.join(out, 'second', 'minimal.build.json'), 'utf8')) as {
      stages: { stage: string; cache: string }[];
      sourceDateEpoch: { epoch: number };
      cache: { used: boolean };
    };
    expect(second.cache.used).toBe(false);
    for (const s of ['bootstrap', 'configure', 'squashfs']) expect(second.stages.find((x) => x.stage === s)?.cache, s).toBe('miss');
    expect(second.sourceDateEpoch.epoch).toBe(verdict.sourceDateEpoch.epoch);
  });
});
