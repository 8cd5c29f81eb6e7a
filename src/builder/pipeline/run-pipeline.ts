// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the stages in order with listr2 (a live task list on a TTY, plain lines otherwise, nothing
// but JSON events with --json), timing each one and naming it when it fails. The pipeline owns the
// upper layer: it makes its key and opens the image tree before the first upper-layer stage, and
// closes it after the last one. Stages' prefetches start first and run beside the stages
// (prefetch.ts). Stages' own cleanups run at the end, newest first, on every path.
import { Listr } from 'listr2';
import { InternalError, StageError } from '../errors.js';
import { getLogMode, log } from '../log.js';
import { PIPELINE_PRODUCTS, type BuildContext, type ProductName } from './context.js';
import type { Stage, StageOutcome } from './stage.js';
import { openUpperLayer } from './upper-layer.js';
import { startPrefetches } from './prefetch.js';

export interface PipelineOptions {
  /** Draw the task list (default: by log mode and TTY); tests pass 'silent'. */
  renderer?: 'default' | 'simple' | 'silent';
  /** Also hands every progress message here, unthrottled (tests). */
  onProgress?: (stage: string, message: string) => void;
}

export async function runPipeline(ctx: BuildContext, stages: readonly Stage[], opts: PipelineOptions = {}): Promise<void> {
  checkStageOrder(stages);
  const firstUpper = stages.findIndex((s) => s.upperLayer);
  const lastUpper = stages.length - 1 - [...stages].reverse().findIndex((s) => s.upperLayer);
  let closeTree: (() => Promise<void>) | undefined;
  const mode = getLogMode();
  const renderer = opts.renderer ?? (mode === 'json' || mode === 'quiet' ? 'silent' : process.stdout.isTTY ? 'default' : 'simple');
  const ran: Stage[] = [];
  const prefetches = startPrefetches(ctx, stages);
  const list = new Listr(
    stages.map((stage, i) => ({
      title: stage.title,
      task: async (_: unknown, task: { title: string; output: string }) => {
        ran.push(stage);
        const outcome = await runStage(ctx, stage, {
          progress: progressSink(stage, renderer === 'default' ? task : undefined, opts.onProgress),
          before: i === firstUpper ? async () => void (closeTree = await openUpperLayer(ctx, stages)) : undefined,
          prefetched: () => prefetches.wait(stage.name),
          after: i === lastUpper ? async () => void (await closeTree?.(), (closeTree = undefined)) : undefined,
        });
        const seconds = (ctx.records.at(-1)!.durationMs / 1000).toFixed(1);
        const cache = outcome.cache === 'none' ? '' : `, cache ${outcome.cache}`;
        task.title = `${stage.title} (${seconds}s${cache}${outcome.detail ? `: ${outcome.detail}` : ''})`;
      },
    })),
    { renderer, exitOnError: true, registerSignalListeners: false, collectErrors: false },
  );
  try {
    await list.run();
  } finally {
    await prefetches.settle();
    // On failure the cleanup stack (the caller's) unmounts too; closing here keeps the order right.
    await closeTree?.().catch((err: unknown) => log.warn(`closing the image tree failed: ${err instanceof Error ? err.message : String(err)}`));
    for (const stage of ran.reverse()) {
      await stage.cleanup?.(ctx).catch((err: unknown) => log.warn(`cleanup of stage ${stage.name} failed: ${err instanceof Error ? err.message : String(err)}`));
    }
  }
}

interface Around {
  before?: () => Promise<void>;
  /** The stage's own prefetch, waited for before it runs. */
  prefetched?: () => Promise<void>;
  after?: () => Promise<void>;
  progress?: (message: string) => void;
}

const PROGRESS_EVERY_MS = 500;

/** Only the live task list has a place for progress; plain output and JSON stay one line per stage. */
function progressSink(stage: Stage, task: { output: string } | undefined, onProgress: PipelineOptions['onProgress']): ((message: string) => void) | undefined {
  const show = task ? throttled((m) => (task.output = m)) : undefined;
  if (!show && !onProgress) return undefined;
  return (message) => {
    show?.(message);
    onProgress?.(stage.name, message);
  };
}

/** At most one progress message per half second reaches the terminal (a progress bar redraws more often). */
export function throttled(show: (message: string) => void, everyMs = PROGRESS_EVERY_MS, now = Date.now): (message: string) => void {
  let last = -Infinity;
  return (message) => {
    const t = now();
    if (t - last < everyMs) return;
    last = t;
    show(message);
  };
}

async function runStage(ctx: BuildContext, stage: Stage, around: Around): Promise<StageOutcome> {
  const started = Date.now();
  log.emit({ event: 'stage-start', stage: stage.name, title: stage.title });
  try {
    await around.before?.();
    await around.prefetched?.();
    ctx.enter(stage.name, stage.produces, around.progress);
    const outcome = await stage.run(ctx);
    ctx.enter(undefined, undefined);
    const missing = stage.produces.filter((p) => !ctx.has(p));
    if (missing.length) throw new InternalError(`stage ${stage.name} did not make ${missing.join(', ')}`);
    await around.after?.();
    const durationMs = Date.now() - started;
    ctx.records.push({ stage: stage.name, durationMs, cache: outcome.cache, detail: outcome.detail });
    log.emit({ event: 'stage-end', stage: stage.name, durationMs, cache: outcome.cache, detail: outcome.detail });
    return outcome;
  } catch (err) {
    ctx.enter(undefined, undefined);
    const durationMs = Date.now() - started;
    log.emit({ event: 'stage-fail', stage: stage.name, durationMs, error: err instanceof Error ? err.message : String(err) });
    throw new StageError(stage.name, err);
  }
}

/** Every need is made by an earlier stage (or by the pipeline before the upper layer); no product is made twice. */
export function checkStageOrder(stages: readonly Stage[]): void {
  const made = new Set<ProductName>();
  const names = new Set<string>();
  for (const stage of stages) {
    if (names.has(stage.name)) throw new InternalError(`two stages are named ${stage.name}`);
    names.add(stage.name);
    if (stage.upperLayer) for (const p of PIPELINE_PRODUCTS) made.add(p);
    const unmet = stage.needs.filter((n) => !made.has(n));
    if (unmet.length) throw new InternalError(`stage ${stage.name} needs ${unmet.join(', ')}, which no earlier stage makes`);
    for (const p of stage.produces) {
      if (made.has(p)) throw new InternalError(`${p} is made twice (again by stage ${stage.name})`);
      made.add(p);
    }
  }
}
