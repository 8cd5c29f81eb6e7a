// SPDX-License-Identifier: GPL-3.0-or-later
// The orchestration, with an injected command runner (no root, no network): the upper layer's
// cache hit and miss, the image tree the pipeline opens and closes, cleanup after a failure and
// after an interruption at every stage, and the "stage X failed" message.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkStageOrder, runPipeline } from '../../src/builder/pipeline/run-pipeline.js';
import type { Stage } from '../../src/builder/pipeline/stage.js';
import type { BuildContext } from '../../src/builder/pipeline/context.js';
import { StageError, UserError, InternalError } from '../../src/builder/errors.js';
import { unwindOnSignals } from '../../src/builder/exec/cleanup.js';
import { STAGES } from '../../src/builder/features/index.js';
import { cachedBaseStage, FakeRunner, onOverlayMount, testBuild, testBuildsPerTest } from './fake-runner.js';

let runner: FakeRunner;
const build = testBuildsPerTest();
const fakeMounts = (): FakeRunner => onOverlayMount(new FakeRunner());
const baseStage = (): Stage => cachedBaseStage('base-key', '6.1.0-test', ['etc']);

/** An upper-layer stage that records whether it saw the image tree. */
function upperStage(name: string, seen: Record<string, boolean>, part: Record<string, unknown> = { [name]: 1 }): Stage {
  return {
    name,
    title: name,
    needs: ['upperLayer'],
    produces: [],
    upperLayer: { keyPart: async () => part },
    async run(ctx) {
      seen[name] = ctx.tree !== undefined;
      if (ctx.tree) writeFileSync(path.join(ctx.tree.root, `${name}.done`), '');
      return { cache: ctx.tree ? 'miss' : 'hit' };
    },
  };
}

/** Publishes the upper layer the way the squashfs stage does (after the tree is closed). */
const publishStage: Stage = {
  name: 'publish',
  title: 'publish',
  needs: ['upperLayer'],
  produces: [],
  async run(ctx) {
    const layer = ctx.get('upperLayer');
    if (ctx.tree) throw new Error('the tree is still open after the last upper-layer stage');
    if (layer.entry) return { cache: 'hit' };
    await ctx.cache.create('upper', layer.key, async (tmp) => writeFileSync(path.join(tmp, 'build-id'), layer.buildId));
    return { cache: 'miss' };
  },
};

function pipeline(seen: Record<string, boolean>): Stage[] {
  return [baseStage(), upperStage('configure', seen), upperStage('overlay', seen), publishStage];
}

describe('the pipeline', () => {
  it('the real stage list is in a valid order (every need made earlier, nothing made twice)', () => {
    expect(() => checkStageOrder(STAGES)).not.toThrow();
    expect(STAGES.map((s) => s.name)).toEqual(['bootstrap', 'configure', 'toolkit', 'overlay', 'kernel-modules', 'reference', 'initramfs', 'squashfs', 'signed-boot', 'bootloader', 'iso', 'outputs']);
  });

  it('refuses a stage that needs what no earlier stage makes (positive control for the order check)', () => {
    const [base, configure, overlay, publish] = pipeline({});
    expect(() => checkStageOrder([publish!, base!, configure!, overlay!])).toThrow(/stage publish needs upperLayer, which no earlier stage makes/);
    expect(() => checkStageOrder([base!, base!])).toThrow(/two stages are named base/);
  });

  it('opens the image tree on an upper-layer miss, closes it after the last upper stage, and hits next time', async () => {
    const b = build();
    runner = fakeMounts();
    const seen: Record<string, boolean> = {};
    await runPipeline(b.ctx, pipeline(seen), { renderer: 'silent' });
    expect(seen).toEqual({ configure: true, overlay: true });
    expect(runner.programs()).toEqual(expect.arrayContaining(['mount overlay', 'mount proc', 'mount sysfs']));
    expect(b.ctx.records.map((r) => `${r.stage}:${r.cache}`)).toEqual(['base:hit', 'configure:miss', 'overlay:miss', 'publish:miss']);
    // The chroot was left: what it put into the tree is gone again, what the stages wrote stays.
    const root = b.ctx.work('rootfs');
    expect(existsSync(path.join(root, 'usr/sbin/policy-rc.d'))).toBe(false);
    expect(existsSync(path.join(root, 'overlay.done'))).toBe(true);
    expect(b.cleanup.size).toBe(0);

    // Same inputs, new build: the upper layer is a cache hit, nothing is mounted.
    const again = testBuild(b.ctx.profile, b.dir);
    runner.calls.length = 0;
    const seen2: Record<string, boolean> = {};
    await runPipeline(again.ctx, pipeline(seen2), { renderer: 'silent' });
    expect(seen2).toEqual({ configure: false, overlay: false });
    expect(runner.calls).toEqual([]);
    expect(again.ctx.records.map((r) => r.cache)).toEqual(['hit', 'hit', 'hit', 'hit']);
    expect(again.ctx.get('upperLayer').buildId).toBe(b.ctx.get('upperLayer').buildId);
  });

  it('a changed key part of any upper-layer stage misses (the stage cannot be left out of the key)', async () => {
    const b = build();
    runner = fakeMounts();
    await runPipeline(b.ctx, pipeline({}), { renderer: 'silent' });
    const again = testBuild(b.ctx.profile, b.dir);
    const seen: Record<string, boolean> = {};
    const changed = [baseStage(), upperStage('configure', seen), upperStage('overlay', seen, { overlay: 2 }), publishStage];
    await runPipeline(again.ctx, changed, { renderer: 'silent' });
    expect(seen).toEqual({ configure: true, overlay: true });
    expect(again.ctx.get('upperLayer').key).not.toBe(b.ctx.get('upperLayer').key);
  });

  it('refuses two stages that put the same field into the upper key', async () => {
    const b = build();
    runner = fakeMounts();
    const stages = [baseStage(), upperStage('configure', {}, { image: 1 }), upperStage('overlay', {}, { image: 2 }), publishStage];
    const err = await runPipeline(b.ctx, stages, { renderer: 'silent' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StageError);
    expect((err as StageError).cause).toBeInstanceOf(InternalError);
    await b.cleanup.unwind();
  });

  it('a stage that sets a product it does not declare is a bug, named as such', async () => {
    const b = build();
    runner = fakeMounts();
    const liar: Stage = { ...baseStage(), produces: [], name: 'liar' };
    const err = (await runPipeline(b.ctx, [liar], { renderer: 'silent' }).catch((e: unknown) => e)) as StageError;
    expect(err.message).toMatch(/stage liar failed: stage liar made "baseTree" but does not declare it/);
    expect(err.isUserError).toBe(false);
    expect(err.exitCode).toBe(70);
  });

  describe('prefetch', () => {
    /** A stage after `configure` whose prefetch finishes only when `release` is called. */
    function prefetching(events: string[], outcome: 'ok' | Error = 'ok') {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const stage: Stage = {
        name: 'reference',
        title: 'reference',
        needs: [],
        produces: [],
        async prefetch() {
          events.push('prefetch start');
          await gate;
          events.push('prefetch end');
          if (outcome !== 'ok') throw outcome;
        },
        async run() {
          events.push('reference run');
          return { cache: 'miss' };
        },
      };
      return { stage, release };
    }
    const recording = (s: Stage, events: string[], then?: () => void): Stage => ({
      ...s,
      async run(ctx) {
        events.push(`${s.name} run`);
        then?.();
        return s.run(ctx);
      },
    });

    it('starts with the pipeline, runs beside the earlier stages, and its stage waits for it', async () => {
      const b = build();
      runner = fakeMounts();
      const events: string[] = [];
      const { stage, release } = prefetching(events);
      const [base, configure, , publish] = pipeline({});
      // configure lets the prefetch finish: it was still running while base and configure ran.
      const stages = [recording(base!, events), recording(configure!, events, release), stage, publish!];
      await runPipeline(b.ctx, stages, { renderer: 'silent' });
      expect(events).toEqual(['prefetch start', 'base run', 'configure run', 'prefetch end', 'reference run']);
    });

    it("a failed prefetch is its stage's failure, named, after the earlier stages ran", async () => {
      const b = build();
      runner = fakeMounts();
      const events: string[] = [];
      const { stage, release } = prefetching(events, new UserError('deb.debian.org: connection refused', 'check the mirror'));
      const [base, configure, , publish] = pipeline({});
      const err = (await runPipeline(b.ctx, [recording(base!, events), recording(configure!, events, release), stage, publish!], { renderer: 'silent' }).catch((e: unknown) => e)) as StageError;
      await b.cleanup.unwind();
      expect(err).toBeInstanceOf(StageError);
      expect(err.message).toBe('stage reference failed: deb.debian.org: connection refused');
      expect(err.hint).toBe('check the mirror');
      expect(events).toEqual(['prefetch start', 'base run', 'configure run', 'prefetch end']);
    });

    it('outlives no build: a failure at an earlier stage waits for the prefetch before the cleanups', async () => {
      const b = build();
      runner = fakeMounts();
      const events: string[] = [];
      const { stage, release } = prefetching(events);
      const [base, configure, , publish] = pipeline({});
      const cleaned: Stage = { ...failing(configure!, new Error('disk full')), cleanup: async () => void events.push('configure cleanup') };
      setTimeout(release, 50);
      const err = (await runPipeline(b.ctx, [base!, cleaned, stage, publish!], { renderer: 'silent' }).catch((e: unknown) => e)) as StageError;
      await b.cleanup.unwind();
      expect(err.message).toBe('stage configure failed: disk full');
      expect(events).toEqual(['prefetch start', 'prefetch end', 'configure cleanup']);
    });
  });

  describe.each([0, 1, 2, 3])('a failure at stage %i', (at) => {
    it("names the stage, keeps a user error's hint, and leaves no mount or chroot file behind", async () => {
      const b = build();
      runner = fakeMounts();
      const stages = pipeline({}).map((s, i) => (i === at ? failing(s, new UserError('disk full', 'free some space')) : s));
      const err = (await runPipeline(b.ctx, stages, { renderer: 'silent' }).catch((e: unknown) => e)) as StageError;
      await b.cleanup.unwind();
      expect(err).toBeInstanceOf(StageError);
      expect(err).not.toBeInstanceOf(UserError);
      expect(err.message).toBe(`stage ${stages[at]!.name} failed: disk full`);
      expect(err.hint).toBe('free some space');
      expect(err.exitCode).toBe(1);
      expect(b.cleanup.size).toBe(0);
      expect(existsSync(path.join(b.ctx.work('rootfs'), 'usr/sbin/policy-rc.d'))).toBe(false);
      expect(b.ctx.tree).toBeUndefined();
    });
  });

  describe.each([0, 1, 2, 3])('an interruption (SIGINT) during stage %i', (at) => {
    it('unwinds the cleanup stack (chroot files, mounts) and exits 130', async () => {
      const b = build();
      runner = fakeMounts();
      const exited: number[] = [];
      let unwound!: () => void;
      const done = new Promise<void>((resolve) => (unwound = resolve));
      const stop = unwindOnSignals(b.cleanup, (code) => {
        exited.push(code);
        unwound();
      });
      let sawTree = false;
      const stages = pipeline({}).map((s, i) =>
        i === at
          ? {
              ...s,
              async run(ctx: BuildContext) {
                sawTree = ctx.tree !== undefined;
                (process.emit as (event: string, signal: string) => boolean)('SIGINT', 'SIGINT');
                await done; // a real build would be killed here; the stage never finishes
                throw new Error('interrupted');
              },
            }
          : s,
      );
      await runPipeline(b.ctx, stages, { renderer: 'silent' }).catch(() => undefined);
      stop();
      expect(exited).toEqual([130]);
      expect(b.cleanup.size).toBe(0);
      if (sawTree) expect(existsSync(path.join(b.ctx.work('rootfs'), 'usr/sbin/policy-rc.d'))).toBe(false);
    });
  });
});

function failing(stage: Stage, err: Error): Stage {
  return {
    ...stage,
    async run() {
      throw err;
    },
  };
}
