// SPDX-License-Identifier: GPL-3.0-or-later
// `responder keymap LAYOUT`: the console keyboard layout, changed with loadkeys (kbd, keymaps
// from console-data). Only names from the table are accepted: loadkeys is never handed a path.
import type { Command } from '../cli/command.js';
import { parse } from '../cli/args.js';
import { UsageError } from '../lib/errors.js';
import { runProgram } from '../lib/run-program.js';
import { LAYOUTS, findLayout } from '../keymap/layouts.js';

const HELP = `Usage: responder keymap LAYOUT
       responder keymap --list

Change the console's keyboard layout (loadkeys). LAYOUT is one of:
${LAYOUTS.map((l) => `  ${l.name.padEnd(4)} ${l.label} (${l.keymap})`).join('\n')}`;

export const keymapCommand: Command = {
  name: 'keymap',
  summary: 'change the console keyboard layout (de, fr, uk, ...)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parse('keymap', argv, { list: { type: 'boolean' } });
    if (values.list) {
      process.stdout.write(LAYOUTS.map((l) => `${l.name}\t${l.label}`).join('\n') + '\n');
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError('keymap takes exactly one LAYOUT', 'see: responder keymap --list');
    const layout = findLayout(positionals[0]!);
    if (!layout) throw new UsageError(`unknown layout "${positionals[0]}"`, `choose one of: ${LAYOUTS.map((l) => l.name).join(', ')}`);
    await runProgram(['loadkeys', layout.keymap]);
    process.stdout.write(`keyboard: ${layout.label} (${layout.keymap})\n`);
    return 0;
  },
};
