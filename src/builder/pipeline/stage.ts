// SPDX-License-Identifier: GPL-3.0-or-later
import type { BuildContext } from './context.js';

export interface StageOutcome {
  cache: 'hit' | 'miss' | 'none';
  detail?: string;
}

/** One step of the build. Stages read and write `ctx.state`; they never print. */
export interface Stage {
  name: string;
  title: string;
  run(ctx: BuildContext): Promise<StageOutcome>;
}
