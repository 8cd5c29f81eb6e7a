// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the stages in order with listr2 (a live task list on a TTY, plain lines otherwise, nothing
// but JSON events with --json), timing each one and naming it when it fails.
import { Listr } from 'listr2';
import { StageError } from '../errors.js';
import { getLogMode, log } from '../log.js';
import type { BuildContext } from './context.js';
import type { Stage } from './stage.js';

export async function runPipeline(ctx: BuildContext, stages: readonly Stage[]): Promise<void> {
  const mode = getLogMode();
  const renderer = mode === 'json' || mode === 'quiet' ? 'silent' : process.stdout.isTTY ? 'default' : 'simple';
  const list = new Listr(
    stages.map((stage) => ({
      title: stage.title,
      task: async (_: unknown, task: { title: string }) => {
        const outcome = await runStage(ctx, stage);
        const seconds = (ctx.records.at(-1)!.durationMs / 1000).toFixed(1);
        const cache = outcome.cache === 'none' ? '' : `, cache ${outcome.cache}`;
        task.title = `${stage.title} (${seconds}s${cache}${outcome.detail ? `: ${outcome.detail}` : ''})`;
      },
    })),
    { renderer, exitOnError: true, registerSignalListeners: false, collectErrors: false },
  );
  await list.run();
}

async function runStage(ctx: BuildContext, stage: Stage) {
  const started = Date.now();
  log.emit({ event: 'stage-start', stage: stage.name, title: stage.title });
  try {
    const outcome = await stage.run(ctx);
    const durationMs = Date.now() - started;
    ctx.records.push({ stage: stage.name, durationMs, cache: outcome.cache, detail: outcome.detail });
    log.emit({ event: 'stage-end', stage: stage.name, durationMs, cache: outcome.cache, detail: outcome.detail });
    return outcome;
  } catch (err) {
    const durationMs = Date.now() - started;
    log.emit({ event: 'stage-fail', stage: stage.name, durationMs, error: err instanceof Error ? err.message : String(err) });
    throw new StageError(stage.name, err);
  }
}
