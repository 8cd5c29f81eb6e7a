// SPDX-License-Identifier: GPL-3.0-or-later
// responder: the incident responder's toolkit on the forensic image (and on an analyst's
// workstation, against the copy). Runs on Node.js 18 as one bundled file; imports nothing from
// the builder.
import { terminalSafe } from './evidence/escape.js';
import type { Command } from './cli/command.js';
import { UsageError } from './lib/errors.js';
import { INTERNAL_EXIT_CODE, internalErrorText, UserError, userErrorText } from '../shared/errors.js';
import { VERSION } from './lib/version.js';
import { COMMANDS } from './commands/index.js';
import { runJournaled } from './case/record.js';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: responder COMMAND [options]',
    '',
    "The incident responder's toolkit. It never runs anything from the evidence and never writes to a source disk.",
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --help and --json.  responder --version prints the version.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (!first || first === '--help' || first === '-h' || first === 'help') {
    process.stdout.write(usage() + '\n');
    return 0;
  }
  if (first === '--version' || first === 'version') {
    process.stdout.write(`responder ${VERSION}\n`);
    return 0;
  }
  const command: Command | undefined = COMMANDS.find((c) => c.name === first);
  if (!command) throw new UsageError(`unknown command "${first}"`, `commands: ${COMMANDS.map((c) => c.name).join(', ')}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.help + '\n');
    return 0;
  }
  return runJournaled([first, ...rest], () => command.run(rest));
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UserError) {
      process.stderr.write(terminalSafe(userErrorText('responder', err)));
      process.exitCode = err.exitCode;
      return;
    }
    // An unexpected error still gets one line; RESPONDER_DEBUG=1 shows the stack for a bug report.
    process.stderr.write(terminalSafe(internalErrorText('responder', err, false)));
    if (process.env.RESPONDER_DEBUG) process.stderr.write(`${(err as Error | undefined)?.stack}\n`);
    process.exitCode = INTERNAL_EXIT_CODE;
  },
);
