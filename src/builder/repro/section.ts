// SPDX-License-Identifier: GPL-3.0-or-later
// The profile's `reproducible:` section (SOURCE_DATE_EPOCH's source, repro/epoch.ts): its schema,
// its type and its place in the profile file, registered through repro/feature.ts.
import * as z from 'zod';
import type { ProfileSection } from '../profile/index.js';
import type { Holds, Same } from '../profile/types.js';

export const reproducibleSchema = z.strictObject({
  source_date_epoch: z
    .union([z.number().int().min(0, { error: 'must be a Unix time (seconds since 1970)' }), z.enum(['archive', 'git'])])
    .default('archive')
    .describe(
      "SOURCE_DATE_EPOCH: the one timestamp every file, squashfs layer, initramfs, ESP and ISO volume date is set to. A number (Unix time); `git`: the time of the repository's last commit; `archive`: the snapshot time, else the Date of the suite's signed InRelease (changes only with a point release for a stable suite). The SOURCE_DATE_EPOCH environment variable overrides it.",
    ),
});

/** SOURCE_DATE_EPOCH's source (repro/epoch.ts). */
export interface Reproducible {
  source_date_epoch: number | 'archive' | 'git';
}

declare module '../profile/types.js' {
  interface ProfileSections {
    reproducible: Reproducible;
  }
  interface MergedSections {
    reproducible: Reproducible;
  }
}

export type ReproducibleSchemaCheck = Holds<Same<z.output<typeof reproducibleSchema>, Reproducible>>;

export const reproducibleSection: ProfileSection = {
  key: 'reproducible',
  schema: reproducibleSchema.prefault({}).describe('Bit-for-bit reproducible builds (`build-live repro-check`).'),
  after: 'kernel',
};
