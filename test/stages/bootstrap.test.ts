// SPDX-License-Identifier: GPL-3.0-or-later
// The real bootstrap stage with an injected runner: a miss runs mmdebstrap once and caches the
// tree; the next build with the same inputs is a hit that runs nothing; a changed input misses.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootstrapStage } from '../../src/builder/stages/bootstrap.js';
import { runPipeline } from '../../src/builder/pipeline/run-pipeline.js';
import { sampleProfile } from '../helpers/sample-profile.js';
import { FakeRunner, testBuild, testBuildsPerTest } from './fake-runner.js';

let runner: FakeRunner;
const build = testBuildsPerTest();

/** mmdebstrap's part: a tree with a kernel; dpkg-query's: one installed package. */
function fakeDebian(): FakeRunner {
  return new FakeRunner()
    .on('mmdebstrap', (argv) => {
      const root = argv.find((a) => a.endsWith('/root'))!;
      for (const d of ['boot', 'etc']) mkdirSync(path.join(root, d), { recursive: true });
      writeFileSync(path.join(root, 'boot', 'vmlinuz-6.1.0-99-amd64'), '');
      // A line the phase timing counts (issue #17): it reaches the stage through the injected runner.
      return { stdout: 'update-initramfs: Generating /boot/initrd.img-6.1.0-99-amd64\n' };
    })
    .on('dpkg-query', () => ({ stdout: 'installed\tlinux-image-6.1.0-99-amd64\t6.1.1\tamd64\n' }));
}

describe('bootstrap stage', () => {
  it('misses, then hits without running anything, then misses again when the package list changes', async () => {
    runner = fakeDebian();
    const first = build();
    await runPipeline(first.ctx, [bootstrapStage], { renderer: 'silent' });
    expect(first.ctx.records[0]!.cache).toBe('miss');
    expect(runner.programs()).toEqual(['mmdebstrap', 'dpkg-query']);
    expect(first.ctx.get('baseTree').kernelVersion).toBe('6.1.0-99-amd64');
    expect(first.ctx.get('bootstrapTiming')?.initramfsRuns).toBe(1);

    runner.calls.length = 0;
    const second = testBuild(first.ctx.profile, first.dir);
    await runPipeline(second.ctx, [bootstrapStage], { renderer: 'silent' });
    expect(second.ctx.records[0]!.cache).toBe('hit');
    expect(runner.calls).toEqual([]);
    expect(second.ctx.get('baseTree')).toEqual(first.ctx.get('baseTree'));
    // The hit carries the timings of the build that made the entry (build.json's bootstrapPhases).
    expect(second.ctx.get('bootstrapTiming')).toEqual(first.ctx.get('bootstrapTiming'));

    const third = testBuild(sampleProfile({ packages: [...first.ctx.profile.packages, 'tzdata'] }), first.dir);
    await runPipeline(third.ctx, [bootstrapStage], { renderer: 'silent' });
    expect(third.ctx.records[0]!.cache).toBe('miss');
    expect(third.ctx.get('baseTree').key).not.toBe(first.ctx.get('baseTree').key);
  });

  it('a failed mmdebstrap names the stage and the command, and leaves no cache entry', async () => {
    runner = new FakeRunner().on('mmdebstrap', () => ({ exitCode: 1, all: 'E: cannot resolve deb.debian.org' }));
    const b = build();
    const err = await runPipeline(b.ctx, [bootstrapStage], { renderer: 'silent' }).then(
      () => new Error('no error'),
      (e: unknown) => e as Error,
    );
    expect(err.message).toMatch(/^stage bootstrap failed: command failed \(exit code 1\): mmdebstrap /);
    expect(b.ctx.cache.lookup('bootstrap', 'x')).toBeUndefined();
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(b.ctx.opts.cacheDir).filter((n) => n.startsWith('bootstrap-') || n.startsWith('.tmp'))).toEqual([]);
  });
});
