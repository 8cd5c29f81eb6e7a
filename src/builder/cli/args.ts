// SPDX-License-Identifier: GPL-3.0-or-later
// Shared flag parsing: node's parseArgs, strict, with one-line errors instead of stack traces.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from '../errors.js';
import { setLogMode } from '../log.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export const COMMON_OPTIONS: Options = {
  json: { type: 'boolean' },
  verbose: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

export function parseCommandArgs(argv: string[], help: string, options: Options, allowPositionals = false) {
  try {
    const parsed = parseArgs({ args: argv, options: { ...COMMON_OPTIONS, ...options }, strict: true, allowPositionals });
    setLogMode(parsed.values.json ? 'json' : 'human', Boolean(parsed.values.verbose));
    return parsed;
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    throw new UserError(message.replace(/^TypeError \[[A-Z_]+\]: /, ''), `see: ${help.split('\n')[0]!.replace(/^Usage: /, '')} --help`, 2);
  }
}

export function requireProfile(value: unknown): string {
  if (typeof value !== 'string' || !value) throw new UserError('--profile is required (a name in profiles/ or a path to a YAML file)', 'e.g. build-live --profile minimal', 2);
  return value;
}
