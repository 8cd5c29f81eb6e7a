// SPDX-License-Identifier: GPL-3.0-or-later
// The profile's `toolkit:` section (programs of this repository in the image): its schema, its
// type and its place in the profile file, registered through toolkit/feature.ts.
import * as z from 'zod';
import type { ProfileSection } from '../profile/index.js';
import type { Holds, Same } from '../profile/types.js';

export const toolkitSchema = z.strictObject({
  responder: z
    .boolean()
    .default(false)
    .describe(
      'Install the responder toolkit: the bundled dist/responder/responder.mjs as /usr/lib/forensic-live/responder.mjs, a `responder` command in /usr/local/bin, and a self-test check (35-responder). Needs `npm run build` before the build, and the nodejs package.',
    ),
});

/** Programs of this repository installed into the image (the toolkit feature, src/builder/toolkit/). */
export interface Toolkit {
  responder: boolean;
}

declare module '../profile/types.js' {
  interface ProfileSections {
    toolkit: Toolkit;
  }
  interface MergedSections {
    toolkit: Toolkit;
  }
}

export type ToolkitSchemaCheck = Holds<Same<z.output<typeof toolkitSchema>, Toolkit>>;

export const toolkitSection: ProfileSection = {
  key: 'toolkit',
  schema: toolkitSchema.prefault({}).describe('Programs of this repository installed into the image.'),
  after: 'forensic',
};
