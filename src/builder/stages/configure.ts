// SPDX-License-Identifier: GPL-3.0-or-later
// Stage 2: configure the live system in the upper layer: an overlayfs over the cached base tree,
// so everything written from here on (settings, overlays, hooks' output) lands in a small upper
// directory that becomes its own squashfs. When the upper layer's inputs are unchanged, the
// cached layer is reused and this stage, overlay and initramfs have nothing to do.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../pipeline/context.js';
import type { Stage } from '../pipeline/stage.js';
import { Chroot } from '../exec/chroot.js';
import { mount, unmountAllBelow } from '../exec/mounts.js';
import { upperKey } from './upper-key.js';
import { configureImage } from './configure-image.js';

export const configureStage: Stage = {
  name: 'configure',
  title: 'Configure the live system',
  async run(ctx) {
    const key = await upperKey(ctx);
    ctx.state.upperKey = key;
    ctx.state.buildId = key.slice(0, 16);
    const hit = ctx.cache.lookup('upper', key);
    if (hit) {
      ctx.state.upperEntry = hit;
      return { cache: 'hit', detail: 'upper layer unchanged' };
    }
    await mountMergedTree(ctx);
    const chroot = await Chroot.enter(ctx.state.mergedRoot!, ctx.cleanup);
    ctx.state.chroot = chroot;
    ctx.cleanup.push('leave chroot', () => chroot.leave());
    await configureImage(chroot, ctx.profile);
    return { cache: 'miss', detail: `hostname ${ctx.profile.image.hostname}, user ${ctx.profile.image.user.name}` };
  },
};

/** lower = the cached base tree (never modified), upper = this build's changes. */
async function mountMergedTree(ctx: BuildContext): Promise<void> {
  const merged = ctx.work('rootfs');
  const upper = ctx.work('upper');
  const workdir = ctx.work('overlay-work');
  await unmountAllBelow(ctx.workDir);
  for (const d of [merged, upper, workdir]) {
    await rm(d, { recursive: true, force: true });
    await mkdir(d, { recursive: true });
  }
  const lower = path.join(ctx.state.bootstrapEntry!, 'root');
  ctx.state.unmountOverlay = await mount(ctx.cleanup, {
    type: 'overlay',
    source: 'overlay',
    target: merged,
    options: [`lowerdir=${lower}`, `upperdir=${upper}`, `workdir=${workdir}`],
  });
  ctx.state.mergedRoot = merged;
  ctx.state.upperDir = upper;
}
