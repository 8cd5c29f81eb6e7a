// SPDX-License-Identifier: GPL-3.0-or-later
// What a feature gives the build (besides its profile part, profile/feature.ts): its stages, each
// at a declared position among the core stages, and its parts of the outputs (build.json sections,
// package manifest lines, SBOM components). The pipeline and the core stages loop over the features
// they are handed (BuildOptions.features); they never import a feature folder.
import type { Component } from '../sbom/components.js';
import type { BuildContext } from './context.js';
import type { Stage } from './stage.js';

/** A feature's stage and where it goes: right after or right before a core (or earlier feature's) stage. */
export type FeatureStage = { stage: Stage; after: string; before?: never } | { stage: Stage; before: string; after?: never };

export interface BuildFeature {
  name: string;
  /** Its stages; their upper-layer key parts (stage.upperLayer.keyPart) come with them. */
  stages?: readonly FeatureStage[];
  /** This feature's sections of build.json, by key (the products of its stages, say). */
  record?(ctx: BuildContext): Record<string, unknown>;
  /** Lines it adds to NAME.packages (NAME\tVERSION\tARCH), after the image's packages. */
  manifest?(ctx: BuildContext): string;
  /** Its top-level SBOM components (built with sbom/components.ts), beside the packages and overlays. */
  sbom?(ctx: BuildContext): Promise<Component[]> | Component[];
}
