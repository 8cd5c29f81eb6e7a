// SPDX-License-Identifier: GPL-3.0-or-later
// Stages' prefetch work (see Stage.prefetch): started together when the pipeline starts, so a
// cold build downloads and reads what needs nothing built (the reference's .debs) while the
// bootstrap keeps one core busy with dpkg. A stage waits for its own before it runs, and its
// failure is that stage's failure; the pipeline waits for all of them before any cleanup, so no
// prefetch outlives the build or writes into a cache being torn down.
import { log } from '../log.js';
import type { PrefetchContext, Stage } from './stage.js';

type Settled = { ok: true } | { ok: false; error: unknown };

export interface Prefetches {
  /** Resolves when `stage`'s prefetch is done (at once when it has none); rejects with its error. */
  wait(stage: string): Promise<void>;
  /** Resolves when every prefetch has finished, however it finished. */
  settle(): Promise<void>;
}

export function startPrefetches(ctx: PrefetchContext, stages: readonly Stage[]): Prefetches {
  const running = new Map<string, Promise<Settled>>();
  for (const stage of stages) {
    if (!stage.prefetch) continue;
    const started = Date.now();
    const done = stage.prefetch(ctx).then(
      (): Settled => {
        log.debug(`prefetch of stage ${stage.name} finished after ${((Date.now() - started) / 1000).toFixed(1)}s`);
        return { ok: true };
      },
      (error: unknown): Settled => ({ ok: false, error }),
    );
    running.set(stage.name, done);
  }
  return {
    async wait(stage) {
      const r = await running.get(stage);
      if (r && !r.ok) throw r.error;
    },
    async settle() {
      await Promise.all(running.values());
    },
  };
}
