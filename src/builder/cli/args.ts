// SPDX-License-Identifier: GPL-3.0-or-later
// Every build-live command declares its options once, in a table (CommandSpec): node's parseArgs
// (strict) is configured from it, the command's --help text is written from it, and the parsed
// values are typed from it. Unknown or malformed flags become one-line errors with exit code 2.
import { parseArgs } from 'node:util';
import { UserError } from '../errors.js';
import { setLogMode } from '../log.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The value's name in --help: `--out DIR`. */
  arg?: string;
  /** What it does, for --help; '\n' starts a continuation line under the first. */
  help: string;
}

export type OptionTable = Record<string, OptionSpec>;

/** --json, --verbose and -h/--help: every command takes them. */
export const COMMON_OPTIONS = {
  json: { type: 'boolean', help: 'one JSON event per line on stdout instead of the task list' },
  verbose: { type: 'boolean', help: 'also print every command the build runs' },
  help: { type: 'boolean', short: 'h', help: 'this help' },
} as const satisfies OptionTable;

export interface CommandSpec<O extends OptionTable = OptionTable> {
  /** The usage line without "Usage: " (also the --help hint on a bad flag). */
  usage: string;
  /** What the command does: paragraphs between the usage line and the options. */
  about: string;
  options: O;
  /** Which of --json, --verbose, -h/--help the help lists (with a text of its own where the default does not fit). */
  common?: Partial<Record<keyof typeof COMMON_OPTIONS, string | true>>;
  /** Text after the options. */
  footer?: string;
  /** Print "Options:" above the list. */
  optionsTitle?: boolean;
  /** The description column (default: after the longest flag). Longer flags put their text on the next line. */
  column?: number;
  positionals?: boolean;
}

type ValueOf<S extends OptionSpec> = S['type'] extends 'boolean' ? boolean : S['multiple'] extends true ? string[] : string;
/** The parsed values, typed from the table (absent when not given). */
export type Values<O extends OptionTable> = { [K in keyof O]?: ValueOf<O[K]> } & { [K in keyof typeof COMMON_OPTIONS]?: boolean };

function flag(name: string, o: OptionSpec): string {
  const long = `--${name}${o.arg ? ` ${o.arg}` : ''}`;
  return o.short ? `-${o.short}, ${long}` : long;
}

/** The command's --help, from its table. */
export function helpText(spec: CommandSpec): string {
  const rows: [string, string][] = Object.entries(spec.options).map(([name, o]) => [flag(name, o), o.help]);
  for (const [name, text] of Object.entries(spec.common ?? {})) {
    const o = COMMON_OPTIONS[name as keyof typeof COMMON_OPTIONS];
    rows.push([flag(name, o), text === true ? o.help : text]);
  }
  const column = spec.column ?? Math.max(...rows.map(([f]) => f.length)) + 2;
  const pad = ' '.repeat(2 + column);
  const lines = rows.flatMap(([f, text]) => {
    const [first, ...more] = text.split('\n');
    const head = f.length + 2 <= column ? [`  ${f.padEnd(column)}${first}`] : [`  ${f}`, `${pad}${first}`];
    return [...head, ...more.map((m) => `${pad}${m}`)];
  });
  const options = rows.length ? `\n\n${spec.optionsTitle ? 'Options:\n' : ''}${lines.join('\n')}` : '';
  return `Usage: ${spec.usage}\n\n${spec.about}${options}${spec.footer ? `\n\n${spec.footer}` : ''}`;
}

/** Parses argv by the command's table; sets the log mode from --json/--verbose. */
export function parseCommand<O extends OptionTable>(spec: CommandSpec<O>, argv: string[]): { values: Values<O>; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries({ ...COMMON_OPTIONS, ...spec.options } as OptionTable).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
    ]),
  );
  try {
    const parsed = parseArgs({ args: argv, options, strict: true, allowPositionals: spec.positionals ?? false });
    setLogMode(parsed.values.json ? 'json' : 'human', Boolean(parsed.values.verbose));
    return { values: parsed.values as Values<O>, positionals: parsed.positionals };
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
    throw new UserError(message.replace(/^TypeError \[[A-Z_]+\]: /, ''), `see: ${spec.usage} --help`, 2);
  }
}

export function requireProfile(value: unknown): string {
  if (typeof value !== 'string' || !value) throw new UserError('--profile is required (a name in profiles/ or a path to a YAML file)', 'e.g. build-live --profile minimal', 2);
  return value;
}
