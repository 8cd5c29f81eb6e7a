// SPDX-License-Identifier: GPL-3.0-or-later
// The profile's `reference:` section, the trusted reference for `responder verify` (its stage
// reference/stage.ts, resolved in reference/profile.ts): schema, types and place in the profile file.
import * as z from 'zod';
import type { ProfileSection } from '../profile/index.js';
import { mergeList } from '../profile/schema-tools.js';
import type { Holds, Same } from '../profile/types.js';

const PRIORITIES = ['required', 'important', 'standard', 'optional', 'extra'] as const;
export const referenceSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(false)
    .describe(
      "Build the trusted reference database for `responder verify`/`sweep`: every file of the selected packages (sha256, size, mode, symlink target, md5sums, conffiles) read from .debs whose hashes the suites' signed InRelease vouches for. Written to /usr/share/forensic-live/reference/ in the image and to NAME.reference/ next to the ISO.",
    ),
  suites: mergeList(z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'must be a Debian suite name like bookworm-security' }))
    .prefault([])
    .describe(
      "Suites to take packages from; empty: the image's suite, SUITE-updates (when distribution.updates) and SUITE-security (when distribution.security_mirror). Names ending in -security use distribution.security_mirror.",
    ),
  priorities: mergeList(z.enum(PRIORITIES)).prefault([]).describe('Include every package of these priorities (required, important, standard, optional, extra).'),
  packages: mergeList(z.string().regex(/^[a-z0-9][a-z0-9+.-]+$/, { error: 'not a Debian package name: lowercase letters, digits, + - . (2 characters or more)' }))
    .prefault([])
    .describe('Include these packages by name (every version the suites carry).'),
  dependencies: z.boolean().default(true).describe('Also include the dependencies of the selected packages (a system with openssh-server has its libraries too, and each needs a reference).'),
  all: z.boolean().default(false).describe('Include every package of the suites (large: about 5 MB of database per 1,000 packages).'),
});

/** The reference section as written (schema output). */
export interface ReferenceSettings {
  enabled: boolean;
  suites: string[];
  priorities: ('required' | 'important' | 'standard' | 'optional' | 'extra')[];
  packages: string[];
  dependencies: boolean;
  all: boolean;
}

/** Resolved: suites always listed, each with the mirror it comes from (reference/profile.ts). */
export interface Reference extends Omit<ReferenceSettings, 'suites'> {
  suites: { suite: string; mirror: string }[];
}

declare module '../profile/types.js' {
  interface ProfileSections {
    reference: Reference;
  }
  interface MergedSections {
    reference: ReferenceSettings;
  }
}

export type ReferenceSchemaCheck = Holds<Same<z.output<typeof referenceSchema>, ReferenceSettings>>;

export const referenceSection: ProfileSection = {
  key: 'reference',
  schema: referenceSchema.prefault({}).describe('Trusted package reference for `responder verify` (off unless enabled).'),
  after: 'toolkit',
};
