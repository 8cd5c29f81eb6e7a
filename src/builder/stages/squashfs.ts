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
import { run } from '../exec/run.js';
import { mksquashfsArgv } from './squashfs-argv.js';
import { listPackages } from './packages.js';
import { stripOverlayBookkeeping } from './overlay-xattrs.js';

// mksquashfs refuses SOURCE_DATE_EPOCH together with -mkfs-time/-all-time, and the env var alone
// only clamps newer timestamps: the argv sets every timestamp, so the variable is taken away here.
const MKSQUASHFS_RUN = { label: 'mksquashfs', env: { SOURCE_DATE_EPOCH: undefined } };

export const BASE_LAYER = '10-base.squashfs';
export const UPPER_LAYER = '20-upper.squashfs';
/** live/filesystem.module: the layers live-boot stacks, lowest first. */
export const FILESYSTEM_MODULE = `${BASE_LAYER}\n${UPPER_LAYER}\n`;

export const squashfsStage: Stage = {
  name: 'squashfs',
  title: 'Compress the layers',
  async run(ctx) {
    const base = await baseLayer(ctx);
    const upper = await upperLayer(ctx);
    const cache = base === 'hit' && upper === 'hit' ? 'hit' : 'miss';
    return { cache, detail: `base layer ${base === 'hit' ? 'cached' : 'compressed'}, upper layer ${upper === 'hit' ? 'cached' : 'compressed'}` };
  },
};

async function baseLayer(ctx: BuildContext): Promise<'hit' | 'miss'> {
  const key = cacheKey({ format: 2, bootstrap: ctx.state.bootstrapKey, squashfs: ctx.profile.squashfs, mksquashfs: ctx.toolVersions.mksquashfs });
  const hit = ctx.cache.lookup('layer-base', key);
  if (hit) {
    ctx.state.baseLayer = path.join(hit, BASE_LAYER);
    return 'hit';
  }
  const entry = await ctx.cache.create('layer-base', key, async (tmp) => {
    await run(mksquashfsArgv(ctx.profile, path.join(ctx.state.bootstrapEntry!, 'root'), path.join(tmp, BASE_LAYER), ctx.state.sourceDateEpoch?.epoch), MKSQUASHFS_RUN);
  });
  ctx.state.baseLayer = path.join(entry, BASE_LAYER);
  return 'miss';
}

async function upperLayer(ctx: BuildContext): Promise<'hit' | 'miss'> {
  if (ctx.state.upperEntry) return 'hit';
  const merged = ctx.state.mergedRoot!;
  const kver = ctx.state.kernelVersion!;
  await ctx.state.chroot?.leave();
  ctx.state.chroot = undefined;
  ctx.state.upperEntry = await ctx.cache.create('upper', ctx.state.upperKey!, async (tmp) => {
    await copyFile(path.join(merged, 'boot', `vmlinuz-${kver}`), path.join(tmp, 'vmlinuz'));
    await copyFile(path.join(merged, 'boot', `initrd.img-${kver}`), path.join(tmp, 'initrd.img'));
    await writeFile(path.join(tmp, 'packages.tsv'), await listPackages(merged));
    await writeFile(path.join(tmp, 'build-id'), `${ctx.state.buildId}\n`);
    await ctx.state.unmountOverlay!();
    ctx.state.mergedRoot = undefined;
    await stripOverlayBookkeeping(ctx.state.upperDir!);
    await run(mksquashfsArgv(ctx.profile, ctx.state.upperDir!, path.join(tmp, UPPER_LAYER), ctx.state.sourceDateEpoch?.epoch), MKSQUASHFS_RUN);
  });
  return 'miss';
}
