// SPDX-License-Identifier: GPL-3.0-or-later
// Stage 7: the hybrid ISO. The layers, kernel and initrd are grafted in from the cache (no copy);
// the ISO is written under a temporary name and renamed, so no half-written ISO is ever left.
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Stage } from '../pipeline/stage.js';
import { run } from '../exec/run.js';
import { xorrisoArgv } from './iso-argv.js';
import { BASE_LAYER, FILESYSTEM_MODULE, UPPER_LAYER } from '../paths.js';

declare module '../pipeline/context.js' {
  interface Products {
    /** The finished ISO in the output folder. */
    iso: { path: string };
  }
}

export const isoStage: Stage = {
  name: 'iso',
  title: 'Write the hybrid ISO',
  needs: ['upperLayer', 'layers', 'isoTree'],
  produces: ['iso'],
  async run(ctx) {
    const isoDir = ctx.get('isoTree').dir;
    const layers = ctx.get('layers');
    const upper = layers.upperEntry;
    await mkdir(path.join(isoDir, 'live'), { recursive: true });
    // live-boot stacks the layers listed here, lowest first.
    await writeFile(path.join(isoDir, 'live/filesystem.module'), FILESYSTEM_MODULE);
    await writeFile(
      path.join(isoDir, '.disk/info'),
      `forensic-live ${ctx.profile.name} (${ctx.profile.distribution.suite} ${ctx.profile.distribution.architecture}) build ${ctx.get('upperLayer').buildId}\n`,
    );
    await mkdir(ctx.opts.outDir, { recursive: true });
    const output = ctx.out(`${ctx.profile.name}.iso`);
    const tmp = `${output}.partial`;
    await rm(tmp, { force: true });
    ctx.cleanup.push(`remove ${tmp}`, () => rm(tmp, { force: true }));
    const fw = ctx.profile.boot.firmware;
    await run(
      xorrisoArgv({
        output: tmp,
        isoDir,
        volumeLabel: ctx.profile.boot.volume_label,
        sourceDateEpoch: ctx.sourceDateEpoch.epoch,
        bios: fw.includes('bios'),
        efiImage: fw.includes('uefi') ? ctx.get('isoTree').efiImage : undefined,
        grafts: {
          [`live/${BASE_LAYER}`]: layers.base,
          [`live/${UPPER_LAYER}`]: path.join(upper, UPPER_LAYER),
          'live/vmlinuz': path.join(upper, 'vmlinuz'),
          'live/initrd.img': path.join(upper, 'initrd.img'),
        },
      }),
      { label: 'xorriso' },
    );
    await rename(tmp, output);
    ctx.set('iso', { path: output });
    return { cache: 'none', detail: output };
  },
};
