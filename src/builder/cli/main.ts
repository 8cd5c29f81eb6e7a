// SPDX-License-Identifier: GPL-3.0-or-later
// build-live's entry point: dispatch to a command, and turn every error into one clear message
// and an exit code (2 for bad input, 1 for a failed build), never a stack trace for user errors.
import { CommandError, UserError, ValidationError, StageError } from '../errors.js';
import { hintText, INTERNAL_EXIT_CODE, internalErrorText } from '../../shared/errors.js';
import { buildCommand, BUILD_HELP } from './build.js';
import { builderVersion } from '../pipeline/preflight.js';
import { repoRoot } from '../paths.js';

const HELP = `Usage: build-live [COMMAND] [options]

Commands:
  build       build an ISO from a profile (the default: build-live --profile forensic)
  validate    check a profile without building
  boot-test   boot an ISO in QEMU and report the image's self-test
  repro-check build a profile twice (second time without the cache) and compare the ISOs
  doctor      check this host (tools, KVM, mirror, disk space) before a build
  clean       remove work trees (and with --all, the stage cache)

Run build-live COMMAND --help for a command's options.

${BUILD_HELP}`;

// Loaded on use: a build never loads the QEMU harness, doctor or repro-check modules.
const COMMANDS: Record<string, (argv: string[]) => Promise<number>> = {
  build: buildCommand,
  validate: async (argv) => (await import('./validate.js')).validateCommand(argv),
  'boot-test': async (argv) => (await import('../qemu/cli-boot-test.js')).bootTestCommand(argv),
  'repro-check': async (argv) => (await import('../repro/cli-repro-check.js')).reproCheckCommand(argv),
  doctor: async (argv) => (await import('./doctor.js')).doctorCommand(argv),
  clean: async (argv) => (await import('./clean.js')).cleanCommand(argv),
};

async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined || first === 'help' || first === '--help' || first === '-h') {
    process.stdout.write(HELP + '\n');
    return 0;
  }
  if (first === '--version' || first === 'version') {
    process.stdout.write(`build-live ${builderVersion(repoRoot())}\n`);
    return 0;
  }
  const command = COMMANDS[first];
  if (command) return command(rest);
  if (first.startsWith('-')) return buildCommand(argv);
  throw new UserError(`unknown command "${first}"`, `commands: ${Object.keys(COMMANDS).join(', ')} (see build-live --help)`, 2);
}

function report(err: unknown): number {
  if (err instanceof ValidationError) {
    process.stderr.write(err.problems.join('\n') + '\n');
    process.stderr.write(`${err.problems.length} problem(s) found\n`);
    return err.exitCode;
  }
  if (err instanceof StageError && !err.isUserError) {
    // A bug inside a stage: name the stage, then the stack, and ask for a report.
    process.stderr.write(`build-live: ${err.message}\n`);
    process.stderr.write(internalErrorText('build-live', err.cause, true));
    return err.exitCode;
  }
  if (err instanceof UserError || err instanceof StageError) {
    process.stderr.write(`build-live: ${err.message}\n`);
    const cause = err instanceof StageError ? err.cause : err;
    if (cause instanceof CommandError && cause.outputTail) {
      process.stderr.write(`--- last lines of its output ---\n${cause.outputTail}\n---\n`);
    }
    if (cause instanceof ValidationError) process.stderr.write(cause.problems.join('\n') + '\n');
    process.stderr.write(hintText(err.hint));
    return err.exitCode;
  }
  process.stderr.write(internalErrorText('build-live', err, true));
  return INTERNAL_EXIT_CODE;
}

// `build-live ... | head` closes the pipe early: that is not an error worth a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.exitCode = report(err);
  },
);
