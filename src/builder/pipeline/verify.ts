// SPDX-License-Identifier: GPL-3.0-or-later
// Every stage's verify step, before anything is bootstrapped: all problems at once, each line
// naming the stage. `build-live build --dry-run` stops after this.
import type { Stage, VerifyContext } from './stage.js';

export async function verifyStages(stages: readonly Stage[], ctx: VerifyContext): Promise<string[]> {
  const problems: string[] = [];
  for (const stage of stages) {
    for (const p of (await stage.verify?.(ctx)) ?? []) problems.push(`${stage.name}: ${p}`);
  }
  return problems;
}
