// SPDX-License-Identifier: GPL-3.0-or-later
// `responder keymap LAYOUT`: the console keyboard layout, changed with loadkeys (kbd, keymaps
// from console-data). Only names from the table are accepted: loadkeys is never handed a path.
// `--boot` applies the layout chosen at the boot menu (forensic-live-keymap.service runs it).
import { readFileSync } from 'node:fs';
import type { Command } from '../cli/command.js';
import { parse } from '../cli/args.js';
import { UsageError } from '../lib/errors.js';
import { runProgram } from '../lib/run-program.js';
import { KEYMAP_OPTION, LAYOUTS, findLayout, keymapFromCmdline } from '../../shared/keymap/layouts.js';

const HELP = `Usage: responder keymap LAYOUT
       responder keymap --list
       responder keymap --boot

Change the console's keyboard layout (loadkeys). LAYOUT is one of:
${LAYOUTS.map((l) => `  ${l.name.padEnd(4)} ${l.label} (${l.keymap})`).join('\n')}

--boot  load the layout picked in the boot menu's keyboard submenu (${KEYMAP_OPTION}=LAYOUT on
        the kernel command line); nothing to do when there is none. Run at boot by
        forensic-live-keymap.service, before the console's login.`;

function layoutOrFail(name: string, where: string): (typeof LAYOUTS)[number] {
  const layout = findLayout(name);
  if (!layout) throw new UsageError(`unknown layout "${name}"${where}`, `choose one of: ${LAYOUTS.map((l) => l.name).join(', ')}`);
  return layout;
}

export const keymapCommand: Command = {
  name: 'keymap',
  summary: 'change the console keyboard layout (de, fr, uk, ...)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parse('keymap', argv, { list: { type: 'boolean' }, boot: { type: 'boolean' } });
    if (values.list) {
      process.stdout.write(LAYOUTS.map((l) => `${l.name}\t${l.label}`).join('\n') + '\n');
      return 0;
    }
    let layout: (typeof LAYOUTS)[number];
    if (values.boot) {
      if (positionals.length) throw new UsageError('keymap --boot takes no LAYOUT');
      const name = keymapFromCmdline(readFileSync(process.env.RESPONDER_CMDLINE ?? '/proc/cmdline', 'latin1'));
      if (name === undefined) {
        process.stdout.write('keyboard: none chosen at the boot menu (unchanged)\n');
        return 0;
      }
      layout = layoutOrFail(name, ` on the kernel command line (${KEYMAP_OPTION}=)`);
    } else {
      if (positionals.length !== 1) throw new UsageError('keymap takes exactly one LAYOUT', 'see: responder keymap --list');
      layout = layoutOrFail(positionals[0]!, '');
    }
    await runProgram(['loadkeys', layout.keymap]);
    process.stdout.write(`keyboard: ${layout.label} (${layout.keymap})\n`);
    return 0;
  },
};
