// SPDX-License-Identifier: GPL-3.0-or-later
// The upper layer: everything the upper-layer stages write (image settings, self-test files,
// toolkit, overlays, hooks' output, kernel modules, reference database, initrd) on top of the
// base tree. Its key is made here from every such stage's own key part, so a stage that writes
// into the layer cannot be left out of the key; the image tree is opened only on a miss.
import { cacheKey } from './cache.js';
import type { BuildContext } from './context.js';
import type { Stage } from './stage.js';
import { openImageTree } from './image-tree.js';
import { InternalError } from '../errors.js';
import path from 'node:path';

/** Bump when the way the upper layer is made changes. */
const UPPER_FORMAT = 2;

export async function upperLayerKey(ctx: BuildContext, stages: readonly Stage[]): Promise<string> {
  const parts: Record<string, unknown> = { format: UPPER_FORMAT, base: ctx.get('baseTree').key };
  const owner: Record<string, string> = { format: 'pipeline', base: 'pipeline' };
  for (const stage of stages) {
    if (!stage.upperLayer) continue;
    ctx.enter(stage.name, stage.produces);
    const part = await stage.upperLayer.keyPart(ctx);
    for (const [field, value] of Object.entries(part)) {
      if (field in owner) throw new InternalError(`stages ${owner[field]} and ${stage.name} both put "${field}" into the upper layer's key`);
      owner[field] = stage.name;
      parts[field] = value;
    }
  }
  ctx.enter(undefined, undefined);
  return cacheKey(parts);
}

/** Sets the `upperLayer` product; returns how to close the image tree when one was opened. */
export async function openUpperLayer(ctx: BuildContext, stages: readonly Stage[]): Promise<(() => Promise<void>) | undefined> {
  const key = await upperLayerKey(ctx, stages);
  const entry = ctx.cache.lookup('upper', key);
  ctx.set('upperLayer', { key, buildId: key.slice(0, 16), entry, upperDir: ctx.work('upper') });
  if (entry) return undefined;
  const opened = await openImageTree(ctx.workDir, path.join(ctx.get('baseTree').entry, 'root'), ctx.cleanup);
  ctx.tree = opened.tree;
  return async () => {
    ctx.tree = undefined;
    await opened.close();
  };
}
