// SPDX-License-Identifier: GPL-3.0-or-later
// Stage `toolkit` (before overlay): the responder bundle and image/toolkit/ into the upper layer
// when the profile enables toolkit.responder. Its key part is only present then, so profiles
// without the toolkit keep their cached upper layers; a missing bundle is found by verify, before
// the bootstrap.
import type { Stage } from '../pipeline/stage.js';
import { installToolkit, toolkitFingerprint, toolkitProblems } from './install.js';

export const toolkitStage: Stage = {
  name: 'toolkit',
  title: 'Add the responder toolkit',
  needs: ['upperLayer'],
  produces: [],
  upperLayer: {
    keyPart: async (ctx) => (ctx.profile.toolkit.responder ? { toolkit: await toolkitFingerprint(ctx) } : {}),
  },
  verify: ({ profile, opts }) => toolkitProblems(profile, opts.repoRoot),
  async run(ctx) {
    if (!ctx.profile.toolkit.responder) return { cache: 'none', detail: 'off' };
    if (!ctx.tree) return { cache: 'hit', detail: 'upper layer unchanged' };
    await installToolkit(ctx, ctx.tree.root);
    return { cache: 'miss', detail: 'responder toolkit' };
  },
};
