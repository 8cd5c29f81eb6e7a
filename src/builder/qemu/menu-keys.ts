// SPDX-License-Identifier: GPL-3.0-or-later
// Picks a boot-menu entry the way a person would: once GRUB's menu is on the serial console, the
// keys are pressed on the guest's keyboard through QMP `send-key` (so a test can boot a submenu
// entry, e.g. the forensic entry's keyboard layouts, from the very ISO a responder gets).
import { readFileSync } from 'node:fs';
import { qmpExecute } from './monitor.js';

/** GRUB's menu header; it is drawn on the serial terminal too (terminal_output console serial). */
export const GRUB_MENU_MARKER = 'GNU GRUB';
const POLL_MS = 200;
/** Between two keys: GRUB redraws the menu (a submenu opens) before the next one arrives. */
const KEY_GAP_MS = 700;

/** `down,down,ret` or `down down ret`: QEMU key names (qcodes: ret, down, up, esc, a, 1, ...). */
export function parseMenuKeys(spec: string): string[] | undefined {
  const keys = spec.split(/[\s,]+/).filter(Boolean);
  return keys.length && keys.every((k) => /^[a-z0-9_]+$/.test(k)) ? keys : undefined;
}

export async function pressMenuKeys(o: { monitorSocket: string; consolePath: string; keys: readonly string[]; timeoutMs: number; stopped: () => boolean }): Promise<void> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    if (o.stopped()) return;
    let text = '';
    try {
      text = readFileSync(o.consolePath, 'latin1');
    } catch {
      // not created yet
    }
    if (text.includes(GRUB_MENU_MARKER)) break;
    if (Date.now() > deadline) throw new Error(`GRUB's menu did not appear on the console within ${o.timeoutMs / 1000} s`);
    await sleep(POLL_MS);
  }
  for (const key of o.keys) {
    await sleep(KEY_GAP_MS);
    await qmpExecute(o.monitorSocket, 'send-key', { keys: [{ type: 'qcode', data: key }] });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
