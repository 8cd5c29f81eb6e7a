// SPDX-License-Identifier: GPL-3.0-or-later
// The stage contract. A stage says what it needs and makes (typed products, see context.ts), what
// its part of the upper layer's cache key is when it writes into that layer, what can be checked
// before anything is bootstrapped (verify), its work, and its cleanup. The pipeline owns the
// shared resources (the upper layer's overlay mount and chroot): a stage never opens or closes them.
import type { Profile } from '../profile/index.js';
import type { BuildContext, BuildOptions, ProductName } from './context.js';

export interface StageOutcome {
  cache: 'hit' | 'miss' | 'none';
  detail?: string;
}

/** What verify steps see: the profile and the options, nothing built yet. */
export interface VerifyContext {
  profile: Profile;
  opts: BuildOptions;
}

/** What a prefetch sees: the profile, the options and the build cache; no products (nothing is built yet). */
export type PrefetchContext = Pick<BuildContext, 'profile' | 'opts' | 'cache' | 'sourceDateEpoch'>;

/** One step of the build. Stages read and write products through `ctx`; they never print. */
export interface Stage {
  name: string;
  title: string;
  /** Products this stage reads (made by an earlier stage, or by the pipeline). */
  needs: readonly ProductName[];
  /** Products this stage makes; it may set nothing else. */
  produces: readonly ProductName[];
  /**
   * Present on the stages that write into the upper layer (configure .. initramfs). The pipeline
   * asks every one of them for its part before the first runs, makes the layer's key from all
   * parts (no two may name the same field), and opens the image tree only when that key misses.
   * `ctx.tree` is then set while they run; when the layer is cached it is undefined.
   */
  upperLayer?: {
    keyPart(ctx: BuildContext): Promise<Record<string, unknown>>;
  };
  /**
   * Work that needs nothing a stage makes (downloads, cache entries keyed by the profile alone),
   * started when the pipeline starts so it runs beside the bootstrap on another core. It may only
   * fill the build cache (entries appear whole or not at all). The pipeline waits for it before
   * this stage runs (its failure is this stage's) and before any cleanup (pipeline/prefetch.ts).
   */
  prefetch?(ctx: PrefetchContext): Promise<void>;
  /** Problems findable without a bootstrap (missing files, unknown names, host tools), one line each. */
  verify?(ctx: VerifyContext): Promise<string[]> | string[];
  run(ctx: BuildContext): Promise<StageOutcome>;
  /** Runs after the pipeline, whether it succeeded or not (newest stage first). */
  cleanup?(ctx: BuildContext): Promise<void>;
}
