// SPDX-License-Identifier: GPL-3.0-or-later
// `build-live validate --profile X`: check a profile (and its parents) without building.
import { loadProfile } from '../features/index.js';
import { repoRoot } from '../paths.js';
import { parseCommandArgs, requireProfile } from './args.js';
import { setLogMode } from '../log.js';

export const VALIDATE_HELP = `Usage: build-live validate --profile NAME|FILE [--json]

Check a profile and every profile it extends, reporting all problems at once as FILE:LINE:COL.
Exit code 0 when valid, 2 when not. --json prints the resolved profile.`;

export async function validateCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, VALIDATE_HELP, { profile: { type: 'string' } });
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
