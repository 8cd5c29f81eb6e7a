// SPDX-License-Identifier: GPL-3.0-or-later
// Profile checks for forensic mode, run on the merged chain with the other merged rules: the
// forensic entry's id is reserved, and no option that lets live-boot write to, fsck, or boot from
// another disk may reach the forensic entry through the options every entry shares.
import type { MergedRule } from '../profile/merged-rules.js';
import { FORBIDDEN_OPTIONS, FORENSIC_ENTRY_ID } from './boot.js';

export const forensicIdFree: MergedRule = ({ profile, report }) => {
  if (!profile.forensic.enabled) return;
  const i = profile.boot.entries.findIndex((e) => e.id === FORENSIC_ENTRY_ID);
  if (i >= 0) report(['boot', 'entries', i, 'id'], `'${FORENSIC_ENTRY_ID}' is reserved for the generated forensic entry (rename it, or set forensic.enabled: false)`);
};

export const forensicSafeOptions: MergedRule = ({ profile, report }) => {
  if (!profile.forensic.enabled) return;
  profile.boot.kernel_options.forEach((o, i) => {
    if (FORBIDDEN_OPTIONS.test(o)) {
      report(['boot', 'kernel_options', i], `'${o}' would let a forensic boot write to, check or boot from another disk: put it on a non-forensic entry's options instead`);
    }
  });
};

export const forensicRules: readonly MergedRule[] = [forensicIdFree, forensicSafeOptions];
