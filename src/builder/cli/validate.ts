// SPDX-License-Identifier: GPL-3.0-or-later
// `build-live validate --profile X`: check a profile (and its parents) without building.
import { loadProfile } from '../features/index.js';
import { repoRoot } from '../paths.js';
import { helpText, parseCommand, requireProfile, type CommandSpec, type OptionTable } from './args.js';
import { setLogMode } from '../log.js';

const VALIDATE_OPTIONS = {
  profile: { type: 'string', arg: 'NAME|FILE', help: 'the profile (as for build)' },
} as const satisfies OptionTable;

export const VALIDATE: CommandSpec<typeof VALIDATE_OPTIONS> = {
  usage: 'build-live validate --profile NAME|FILE [--json]',
  about: `Check a profile and every profile it extends, reporting all problems at once as FILE:LINE:COL.
Exit code 0 when valid, 2 when not. --json prints the resolved profile.`,
  options: VALIDATE_OPTIONS,
  common: { json: 'print the resolved profile (JSON) instead of a summary' },
};

export const VALIDATE_HELP = helpText(VALIDATE);

export async function validateCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(VALIDATE, argv);
  if (values.help) {
    process.stdout.write(VALIDATE_HELP + '\n');
    return 0;
  }
  if (values.json) setLogMode('quiet');
  const profile = await loadProfile(requireProfile(values.profile), { repoRoot: repoRoot() });
  if (values.json) process.stdout.write(JSON.stringify(profile, null, 2) + '\n');
  else process.stdout.write(`${profile.name}: valid (${profile.sourceFiles.length} file(s): ${profile.sourceFiles.join(' <- ')})\n`);
  return 0;
}
