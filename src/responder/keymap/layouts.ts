// SPDX-License-Identifier: GPL-3.0-or-later
// The console keymaps a responder is offered: the names loadkeys resolves in console-data's
// /usr/share/keymaps (a data table, so the boot menu can list the same ones).
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

export function findLayout(name: string): (typeof LAYOUTS)[number] | undefined {
  return LAYOUTS.find((l) => l.name === name.toLowerCase());
}
