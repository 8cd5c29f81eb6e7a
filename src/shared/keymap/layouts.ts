// SPDX-License-Identifier: GPL-3.0-or-later
// The console keymaps a responder is offered: the names loadkeys resolves in console-data's
// /usr/share/keymaps. Shared data: the builder's boot menu offers some of them (BOOT_MENU_LAYOUTS,
// passed as KEYMAP_OPTION=NAME) and `responder keymap` loads them, so both agree on every name.
export const LAYOUTS: { name: string; keymap: string; label: string }[] = [
  { name: 'us', keymap: 'us', label: 'English (US)' },
  { name: 'uk', keymap: 'uk', label: 'English (UK)' },
  { name: 'de', keymap: 'de-latin1-nodeadkeys', label: 'German' },
  { name: 'ch', keymap: 'sg-latin1', label: 'Swiss German' },
  { name: 'fr', keymap: 'fr-latin9', label: 'French' },
  { name: 'be', keymap: 'be-latin1', label: 'Belgian' },
  { name: 'es', keymap: 'es', label: 'Spanish' },
  { name: 'it', keymap: 'it', label: 'Italian' },
  { name: 'pt', keymap: 'pt-latin1', label: 'Portuguese' },
  { name: 'br', keymap: 'br-abnt2', label: 'Brazilian' },
  { name: 'nl', keymap: 'nl', label: 'Dutch' },
  { name: 'se', keymap: 'se-latin1', label: 'Swedish' },
  { name: 'no', keymap: 'no-latin1', label: 'Norwegian' },
  { name: 'dk', keymap: 'dk-latin1', label: 'Danish' },
  { name: 'fi', keymap: 'fi', label: 'Finnish' },
  { name: 'pl', keymap: 'pl', label: 'Polish' },
  { name: 'cz', keymap: 'cz-lat2', label: 'Czech' },
  { name: 'hu', keymap: 'hu', label: 'Hungarian' },
  { name: 'ru', keymap: 'ru', label: 'Russian' },
  { name: 'jp', keymap: 'jp106', label: 'Japanese' },
];

/** The layouts of the forensic entry's keyboard submenu, in menu order (the rest: `responder keymap`). */
export const BOOT_MENU_LAYOUTS: readonly string[] = ['us', 'uk', 'de', 'fr', 'es', 'it', 'ch', 'be'];

/**
 * The kernel option a boot-menu entry carries (`forensic-live.keymap=de`). Dotted, so the kernel
 * treats it as a module parameter: not handed to init, no "unknown parameter" message.
 */
export const KEYMAP_OPTION = 'forensic-live.keymap';

export function findLayout(name: string): (typeof LAYOUTS)[number] | undefined {
  return LAYOUTS.find((l) => l.name === name.toLowerCase());
}

/** The layout name a kernel command line asks for (the last KEYMAP_OPTION wins, as the kernel's own do). */
export function keymapFromCmdline(cmdline: string): string | undefined {
  let found: string | undefined;
  for (const word of cmdline.trim().split(/\s+/)) {
    if (word.startsWith(`${KEYMAP_OPTION}=`)) found = word.slice(KEYMAP_OPTION.length + 1);
  }
  return found;
}
