// SPDX-License-Identifier: GPL-3.0-or-later
// The stage list is the core stages plus each registered feature's stages at its declared place.
import { describe, expect, it } from 'vitest';
import { composeStages } from '../../src/builder/pipeline/compose.js';
import type { BuildFeature } from '../../src/builder/pipeline/feature.js';
import type { Stage } from '../../src/builder/pipeline/stage.js';
import { CORE_STAGES } from '../../src/builder/stages/index.js';
import { FEATURES, STAGES } from '../../src/builder/features/index.js';

const stage = (name: string): Stage => ({ name, title: name, needs: [], produces: [], run: async () => ({ cache: 'none' }) });
const names = (list: readonly Stage[]) => list.map((s) => s.name);

describe('composeStages', () => {
  const core = [stage('a'), stage('b'), stage('c')];

  it('puts a feature stage after or before the named stage', () => {
    const features: BuildFeature[] = [
      { name: 'x', stages: [{ stage: stage('x'), after: 'a' }] },
      { name: 'y', stages: [{ stage: stage('y'), before: 'c' }] },
    ];
    expect(names(composeStages(core, features))).toEqual(['a', 'x', 'b', 'y', 'c']);
  });

  it('keeps registration order for stages placed after the same stage', () => {
    const features: BuildFeature[] = [
      { name: 'x', stages: [{ stage: stage('x'), after: 'a' }] },
      { name: 'y', stages: [{ stage: stage('y'), after: 'a' }] },
    ];
    expect(names(composeStages(core, features))).toEqual(['a', 'x', 'y', 'b', 'c']);
  });

  it('refuses a position that names no stage (a bug in the feature)', () => {
    expect(() => composeStages(core, [{ name: 'x', stages: [{ stage: stage('x'), after: 'nope' }] }])).toThrow(/feature x puts stage x after nope, which is not in the build/);
  });

  it('gives the build its order: features between the core stages, the core unchanged', () => {
    expect(names(STAGES)).toEqual(['bootstrap', 'configure', 'toolkit', 'overlay', 'kernel-modules', 'reference', 'initramfs', 'squashfs', 'signed-boot', 'bootloader', 'iso', 'outputs']);
    expect(names(STAGES.filter((s) => CORE_STAGES.includes(s)))).toEqual(names(CORE_STAGES));
    const fromFeatures = FEATURES.flatMap((f) => (f.stages ?? []).map((p) => `${f.name}:${p.stage.name}`));
    expect(fromFeatures).toEqual(['secure-boot:signed-boot', 'reference:reference', 'kernel:kernel-modules', 'toolkit:toolkit']);
  });
});
