// SPDX-License-Identifier: GPL-3.0-or-later
// Stage `signed-boot` (before bootloader): Debian's signed shim, MokManager and GRUB for a profile
// with boot.secure_boot, fetched and checked by signed-boot.ts; the bootloader stage puts them on
// the ESP instead of its own unsigned GRUB image. Nothing to do (null) when Secure Boot is off.
import type { Stage } from '../pipeline/stage.js';
import { signedBootFiles, type SignedBootFiles } from './signed-boot.js';

declare module '../pipeline/context.js' {
  interface Products {
    /** Secure Boot: the ESP's signed binaries and the packages they came from (null: off). */
    signedBoot: SignedBootFiles | null;
  }
}

export const signedBootStage: Stage = {
  name: 'signed-boot',
  title: 'Fetch the signed boot chain (Secure Boot)',
  needs: [],
  produces: ['signedBoot'],
  async run(ctx) {
    if (!ctx.profile.boot.secure_boot) {
      ctx.set('signedBoot', null);
      return { cache: 'none', detail: 'off' };
    }
    const signed = await signedBootFiles(ctx);
    ctx.set('signedBoot', signed);
    return { cache: 'none', detail: signed.packages.map((p) => `${p.name} ${p.version}`).join(', ') };
  },
};
