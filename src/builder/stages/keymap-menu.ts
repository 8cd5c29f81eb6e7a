// SPDX-License-Identifier: GPL-3.0-or-later
// The forensic entry's keyboard submenu: one entry per common layout, each the forensic entry's
// exact options plus `forensic-live.keymap=NAME` (read at boot by forensic-live-keymap.service,
// i.e. `responder keymap --boot`). Nothing is dropped or replaced, so every forensic guarantee
// holds for every entry; the self-test's kernel-cmdline check finds these lines in grub.cfg too.
import type { Profile } from '../profile/index.js';
import { BOOT_MENU_LAYOUTS, KEYMAP_OPTION, findLayout } from '../../shared/keymap/layouts.js';
import { FORENSIC_ENTRY_ID } from '../paths.js';

export interface KeymapSubmenu {
  id: string;
  label: string;
  entries: { id: string; label: string; options: string[] }[];
}

export const KEYMAP_SUBMENU_ID = `${FORENSIC_ENTRY_ID}-keyboard`;

/**
 * The submenu for a forensic image with the responder toolkit (the service that applies the
 * keymap is part of it); undefined otherwise. `forensicOptions` are the forensic entry's full options.
 */
export function keymapSubmenu(p: Profile, forensic: { label: string; options: string[] } | undefined): KeymapSubmenu | undefined {
  if (!p.forensic.enabled || !p.toolkit.responder || !forensic) return undefined;
  return {
    id: KEYMAP_SUBMENU_ID,
    label: `${forensic.label}: keyboard layout`,
    entries: BOOT_MENU_LAYOUTS.map((name) => {
      const layout = findLayout(name);
      if (!layout) throw new Error(`keymap-menu: ${name} is not in the layout table`);
      return {
        id: `${FORENSIC_ENTRY_ID}-keymap-${name}`,
        label: `${forensic.label}, keyboard: ${layout.label} (${name})`,
        options: [...forensic.options, `${KEYMAP_OPTION}=${name}`],
      };
    }),
  };
}
