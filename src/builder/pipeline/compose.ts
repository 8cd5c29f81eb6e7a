// SPDX-License-Identifier: GPL-3.0-or-later
// The build's stage list: the core stages (stages/index.ts) with every registered feature's stages
// put at their declared positions. Features are taken in registration order; two stages placed
// after the same stage keep that order (the later one goes after the earlier one).
import { InternalError } from '../errors.js';
import type { BuildFeature } from './feature.js';
import type { Stage } from './stage.js';

export function composeStages(core: readonly Stage[], features: readonly BuildFeature[]): Stage[] {
  const list = [...core];
  /** How many stages were already put after each anchor (so "after X" keeps registration order). */
  const placedAfter = new Map<string, number>();
  for (const feature of features) {
    for (const placed of feature.stages ?? []) {
      const anchor = placed.after ?? placed.before;
      const at = list.findIndex((s) => s.name === anchor);
      if (at < 0) throw new InternalError(`feature ${feature.name} puts stage ${placed.stage.name} ${placed.after ? 'after' : 'before'} ${anchor}, which is not in the build`);
      if (placed.after !== undefined) {
        const n = placedAfter.get(anchor) ?? 0;
        list.splice(at + 1 + n, 0, placed.stage);
        placedAfter.set(anchor, n + 1);
      } else {
        list.splice(at, 0, placed.stage);
      }
    }
  }
  return list;
}
