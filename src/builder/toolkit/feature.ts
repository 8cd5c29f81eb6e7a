// SPDX-License-Identifier: GPL-3.0-or-later
// The responder toolkit as one unit (registered in features/index.ts; profile key toolkit.responder):
// its stage (before overlay: the bundle and image/toolkit/ into the image, keyed into the upper
// layer, the bundle checked by verify) and its SBOM component (the bundle and its npm packages).
import type { Feature } from '../features/feature.js';
import { toolkitComponent, toolkitSbom } from './sbom.js';
import { toolkitSection } from './section.js';
import { toolkitStage } from './stage.js';

export const toolkitFeature: Feature = {
  name: 'toolkit',
  section: toolkitSection,
  stages: [{ stage: toolkitStage, before: 'overlay' }],
  sbom: async (ctx) => (ctx.profile.toolkit.responder ? [toolkitComponent(await toolkitSbom(ctx.opts.repoRoot))] : []),
};
