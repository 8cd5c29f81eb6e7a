// SPDX-License-Identifier: GPL-3.0-or-later
// The profile's `forensic:` section (forensic boot mode, forensic/boot.ts): its schema, its type and
// its place in the profile file, registered through forensic/feature.ts.
import * as z from 'zod';
import type { ProfileSection } from '../profile/index.js';
import type { Holds, Same } from '../profile/types.js';

export const forensicSchema = z.strictObject({
  enabled: z
    .boolean()
    .default(false)
    .describe(
      'Forensic boot mode: a default menu entry that never writes to the disks it finds (read-only block devices, no swap, RAID, LVM, fsck or fstab, a boot medium found by a per-build id), plus the overlay overlays/forensic (udev rules, initramfs hook, self-test checks). See docs/forensic-mode.md.',
    ),
  label: z
    .string()
    .regex(/^[^\x00-\x1f\x7f]{1,80}$/, { error: 'must be 1-80 printable characters' })
    .default('Forensic mode (evidence disks read-only)')
    .describe('Menu text of the forensic entry (id `forensic`, the default entry when enabled).'),
  live_entries: z
    .boolean()
    .default(true)
    .describe('Keep the profile\'s boot entries as a second, non-forensic live mode; their labels get " (NOT forensic: disks writable)" appended. false: the forensic entry only.'),
});

/** Forensic boot mode; when enabled, `boot` already holds the forensic entry as its default (forensic/boot.ts). */
export interface Forensic {
  enabled: boolean;
  label: string;
  live_entries: boolean;
}

declare module '../profile/types.js' {
  interface ProfileSections {
    forensic: Forensic;
  }
  interface MergedSections {
    forensic: Forensic;
  }
}

export type ForensicSchemaCheck = Holds<Same<z.output<typeof forensicSchema>, Forensic>>;

export const forensicSection: ProfileSection = {
  key: 'forensic',
  schema: forensicSchema.prefault({}).describe('Forensic boot mode (off unless enabled).'),
  after: 'boot',
};
