// SPDX-License-Identifier: GPL-3.0-or-later
// The reference stage's prefetch, with the database's planning and writing replaced (no network):
// the database is made once per build, beside the earlier stages, and used as made, also by a
// --no-cache build (whose cache lookups always miss); a warm build makes nothing.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { runPipeline } from '../../src/builder/pipeline/run-pipeline.js';
import { StageCache } from '../../src/builder/pipeline/cache.js';
import { BuildContext } from '../../src/builder/pipeline/context.js';
import { referenceStage } from '../../src/builder/reference/stage.js';
import { INDEX_FILE, MANIFEST_FILE, REFDB_FILE } from '../../src/shared/debian/refdb.js';
import { sampleProfile } from '../helpers/sample-profile.js';
import { cachedBaseStage, FakeRunner, onOverlayMount, testBuildsPerTest } from './fake-runner.js';

const calls = vi.hoisted(() => ({ plan: 0, write: 0 }));
vi.mock('../../src/builder/reference/build.js', () => ({
  planReference: async () => (calls.plan++, { key: 'reference-key-1' }),
  writeReference: async (_plan: unknown, dir: string) => {
    calls.write++;
    for (const f of [REFDB_FILE, INDEX_FILE]) writeFileSync(path.join(dir, f), 'x');
    const manifest = { suites: [], packages: 3, files: 7, bytes: { database: 1, index: 1, debsDownloaded: 0 }, bytesPer1000Packages: 1 };
    writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest));
    return manifest;
  },
}));

const build = testBuildsPerTest();
const profile = () => sampleProfile({ reference: { enabled: true, suites: [], priorities: ['required'], packages: [], dependencies: true, all: false } } as never);
const stages = () => [cachedBaseStage('base-key', '6.1.0-test', ['etc']), referenceStage];

beforeEach(() => {
  calls.plan = 0;
  calls.write = 0;
  onOverlayMount(new FakeRunner());
});

describe('the reference stage, prefetched', () => {
  it('plans once and makes the database once, reported as a miss made beside the earlier stages', async () => {
    const b = build(profile());
    await runPipeline(b.ctx, stages(), { renderer: 'silent' });
    await b.cleanup.unwind();
    expect(calls).toEqual({ plan: 1, write: 1 });
    const rec = b.ctx.records.find((r) => r.stage === 'reference')!;
    expect(rec.cache).toBe('miss');
    expect(rec.detail).toMatch(/^made while the earlier stages ran: 3 packages, 7 files/);
    expect(b.ctx.get('reference')).toMatchObject({ packages: 3, files: 7, cache: 'miss' });
  });

  it('a --no-cache build makes it once too, and uses what its prefetch made', async () => {
    const b = build(profile());
    const ctx = new BuildContext({ ...b.ctx.opts, noCache: true }, new StageCache(b.ctx.opts.cacheDir, false), b.cleanup, {}, b.ctx.sourceDateEpoch);
    await runPipeline(ctx, stages(), { renderer: 'silent' });
    await b.cleanup.unwind();
    expect(calls.write).toBe(1);
    expect(ctx.records.find((r) => r.stage === 'reference')!.cache).toBe('miss');
  });

  it('a warm build makes nothing and reports a hit', async () => {
    const b = build(profile());
    await runPipeline(b.ctx, stages(), { renderer: 'silent' });
    await b.cleanup.unwind();
    const again = new BuildContext(b.ctx.opts, new StageCache(b.ctx.opts.cacheDir), b.cleanup, {}, b.ctx.sourceDateEpoch);
    await runPipeline(again, stages(), { renderer: 'silent' });
    await b.cleanup.unwind();
    expect(calls.write).toBe(1);
    expect(again.records.find((r) => r.stage === 'reference')!.cache).toBe('hit');
  });
});
