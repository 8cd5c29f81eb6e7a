// SPDX-License-Identifier: GPL-3.0-or-later
// Stage 2: configure the live system in the upper layer (the image tree the pipeline opened over
// the cached base tree, see pipeline/image-tree.ts): hostname, locale, timezone, the live user.
// When the upper layer is cached there is no tree and nothing to do.
import type { Stage } from '../pipeline/stage.js';
import { configureImage } from './configure-image.js';
import { configureProblems } from './configure-verify.js';

export const configureStage: Stage = {
  name: 'configure',
  title: 'Configure the live system',
  needs: ['baseTree'],
  produces: [],
  upperLayer: {
    keyPart: async (ctx) => ({ image: ctx.profile.image, profile: ctx.profile.name }),
  },
  verify: ({ profile }) => configureProblems(profile),
  async run(ctx) {
    if (!ctx.tree) return { cache: 'hit', detail: 'upper layer unchanged' };
    await configureImage(ctx.tree.chroot, ctx.profile);
    return { cache: 'miss', detail: `hostname ${ctx.profile.image.hostname}, user ${ctx.profile.image.user.name}` };
  },
};
