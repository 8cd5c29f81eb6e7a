// SPDX-License-Identifier: GPL-3.0-or-later
// Stage 5: the layered root filesystem. The base layer (bootstrap + packages) is squashed once per
// base tree and compression setting and cached; the upper layer (configuration, overlays, hooks'
// output, generated files) is squashed from the overlayfs upper directory, which holds only what
// this build changed (deletions as overlayfs whiteouts, which live-boot's stacking honours).
import { copyFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cacheKey } from '../pipeline/cache.js';
import type { BuildContext } from '../pipeline/context.js';
import type { Stage } from '../pipeline/stage.js';
import { run, type RunOptions } from '../exec/run.js';
import { InternalError } from '../errors.js';
import { BASE_LAYER, UPPER_LAYER } from '../paths.js';
import { mksquashfsArgv, squashfsProgress } from './squashfs-argv.js';
import { stripOverlayBookkeeping } from './overlay-xattrs.js';

// mksquashfs refuses SOURCE_DATE_EPOCH together with -mkfs-time/-all-time, and the env var alone
// only clamps newer timestamps: the argv sets every timestamp, so the variable is taken away here.
// Its progress bar goes to the task line, prefixed with the layer it compresses.
function mksquashfsRun(ctx: BuildContext, layer: string): RunOptions {
  return {
    label: 'mksquashfs',
    env: { SOURCE_DATE_EPOCH: undefined },
    onUpdate: (text) => {
      const p = squashfsProgress(text);
      if (p) ctx.progress(`${layer} layer: ${p}`);
    },
  };
}

export { BASE_LAYER, UPPER_LAYER };

export interface Layers {
  /** 10-base.squashfs in its cache entry. */
  base: string;
  /** The upper layer's cache entry: 20-upper.squashfs, vmlinuz, initrd.img, packages.tsv, build-id. */
  upperEntry: string;
}

declare module '../pipeline/context.js' {
  interface Products {
    layers: Layers;
  }
}

export const squashfsStage: Stage = {
  name: 'squashfs',
  title: 'Compress the layers',
  needs: ['baseTree', 'upperLayer', 'bootFiles'],
  produces: ['layers'],
  async run(ctx) {
    const base = await baseLayer(ctx);
    const upper = await upperLayer(ctx);
    ctx.set('layers', { base: base.file, upperEntry: upper.entry });
    const cache = base.cache === 'hit' && upper.cache === 'hit' ? 'hit' : 'miss';
    return { cache, detail: `base layer ${base.cache === 'hit' ? 'cached' : 'compressed'}, upper layer ${upper.cache === 'hit' ? 'cached' : 'compressed'}` };
  },
};

async function baseLayer(ctx: BuildContext): Promise<{ file: string; cache: 'hit' | 'miss' }> {
  const tree = ctx.get('baseTree');
  const key = cacheKey({ format: 2, bootstrap: tree.key, squashfs: ctx.profile.squashfs, mksquashfs: ctx.toolVersions.mksquashfs });
  const hit = ctx.cache.lookup('layer-base', key);
  if (hit) return { file: path.join(hit, BASE_LAYER), cache: 'hit' };
  const entry = await ctx.cache.create('layer-base', key, async (tmp) => {
    await run(mksquashfsArgv(ctx.profile, path.join(tree.entry, 'root'), path.join(tmp, BASE_LAYER), ctx.sourceDateEpoch.epoch), mksquashfsRun(ctx, 'base'));
  });
  return { file: path.join(entry, BASE_LAYER), cache: 'miss' };
}

/** The image tree is unmounted by now (the pipeline closed it after the last upper-layer stage). */
async function upperLayer(ctx: BuildContext): Promise<{ entry: string; cache: 'hit' | 'miss' }> {
  const layer = ctx.get('upperLayer');
  if (layer.entry) return { entry: layer.entry, cache: 'hit' };
  const boot = ctx.get('bootFiles');
  if (!boot) throw new InternalError('the upper layer was not cached, yet the initramfs stage left no boot files');
  const entry = await ctx.cache.create('upper', layer.key, async (tmp) => {
    await copyFile(boot.vmlinuz, path.join(tmp, 'vmlinuz'));
    await copyFile(boot.initrd, path.join(tmp, 'initrd.img'));
    await copyFile(boot.packagesTsv, path.join(tmp, 'packages.tsv'));
    await writeFile(path.join(tmp, 'build-id'), `${layer.buildId}\n`);
    await stripOverlayBookkeeping(layer.upperDir);
    await run(mksquashfsArgv(ctx.profile, layer.upperDir, path.join(tmp, UPPER_LAYER), ctx.sourceDateEpoch.epoch), mksquashfsRun(ctx, 'upper'));
  });
  return { entry, cache: 'miss' };
}
