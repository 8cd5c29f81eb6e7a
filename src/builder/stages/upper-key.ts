// SPDX-License-Identifier: GPL-3.0-or-later
// The key of the upper layer: everything that goes into it (image settings, the self-test files,
// overlay contents, after-overlays hooks) on top of the base tree it is stacked on.
import path from 'node:path';
import { cacheKey } from '../pipeline/cache.js';
import type { BuildContext } from '../pipeline/context.js';
import { hookFingerprint } from './hooks.js';
import { treeFingerprint } from './tree-fingerprint.js';
import { toolkitFingerprint } from './toolkit.js';
import { referenceFingerprint } from './reference.js';
import { kernelFingerprint } from '../kernel/plan.js';
import { kernelSectionUsed } from '../kernel/profile.js';

/** Bump when the way the upper layer is made changes. */
const UPPER_FORMAT = 2;

export function selftestDir(ctx: BuildContext): string {
  return path.join(ctx.opts.repoRoot, 'image', 'selftest');
}

export async function upperKey(ctx: BuildContext): Promise<string> {
  const p = ctx.profile;
  const overlays = [];
  for (const o of p.overlays) overlays.push({ name: o.name, tree: await treeFingerprint(o.path) });
  return cacheKey({
    format: UPPER_FORMAT,
    base: ctx.state.bootstrapKey,
    image: p.image,
    profile: p.name,
    selftest: await treeFingerprint(selftestDir(ctx)),
    overlays,
    // Only present when enabled, so profiles without the toolkit keep their cached upper layers.
    ...(p.toolkit.responder ? { toolkit: await toolkitFingerprint(ctx) } : {}),
    // The reference database lives in the upper layer: a new one (new packages) rebuilds it.
    ...(p.reference.enabled ? { reference: await referenceFingerprint(ctx) } : {}),
    // Modules and module lists live in the upper layer: only present when used (cached layers stay valid).
    ...(kernelSectionUsed(p.kernel) ? { kernel: await kernelFingerprint(ctx) } : {}),
    hooks: hookFingerprint(p.hooks.filter((h) => h.when === 'after-overlays')),
  });
}
