// SPDX-License-Identifier: GPL-3.0-or-later
// build-live's options are declared once per command: parsing, --help and typed values come from
// the same table.
import { describe, expect, it } from 'vitest';
import { helpText, parseCommand, type CommandSpec, type OptionTable } from '../../src/builder/cli/args.js';
import { BUILD } from '../../src/builder/cli/build.js';
import { UserError } from '../../src/builder/errors.js';
import { BOOT_TEST } from '../../src/builder/qemu/cli-boot-test.js';

const OPTIONS = {
  out: { type: 'string', arg: 'DIR', help: 'where it goes' },
  disk: { type: 'string', multiple: true, arg: 'SPEC', help: 'a disk\n(repeatable)' },
  'a-very-long-option': { type: 'string', arg: 'WITH-A-LONG-VALUE', help: 'on its own line' },
  all: { type: 'boolean', help: 'everything' },
} as const satisfies OptionTable;
const SPEC: CommandSpec<typeof OPTIONS> = { usage: 'tool thing [options]', about: 'Does a thing.', options: OPTIONS, common: { help: true }, column: 16 };

describe('command option tables', () => {
  it('write the help: usage, text, one line per option, continuation lines under the text', () => {
    expect(helpText(SPEC)).toBe(
      [
        'Usage: tool thing [options]',
        '',
        'Does a thing.',
        '',
        '  --out DIR       where it goes',
        '  --disk SPEC     a disk',
        '                  (repeatable)',
        '  --a-very-long-option WITH-A-LONG-VALUE',
        '                  on its own line',
        '  --all           everything',
        '  -h, --help      this help',
      ].join('\n'),
    );
  });

  it('parse into the values the table declares (strings, lists, booleans, the common flags)', () => {
    const { values } = parseCommand(SPEC, ['--out', 'x', '--disk', 'a', '--disk', 'b', '--all', '-h']);
    const out: string | undefined = values.out;
    const disks: string[] | undefined = values.disk;
    const all: boolean | undefined = values.all;
    expect({ out, disks, all, help: values.help }).toEqual({ out: 'x', disks: ['a', 'b'], all: true, help: true });
  });

  it('refuse an unknown flag in one line, exit code 2, pointing at --help', () => {
    let err: unknown;
    try {
      parseCommand(SPEC, ['--outt', 'x']);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(/^Unknown option '--outt'/);
    expect((err as UserError).hint).toBe('see: tool thing [options] --help');
    expect((err as UserError).exitCode).toBe(2);
  });

  it("keep build's and boot-test's help as it was written by hand (same lines, same columns)", () => {
    const build = helpText(BUILD).split('\n');
    expect(build).toContain('  --profile NAME|FILE  a profile in profiles/ (e.g. forensic, minimal) or a path to a YAML file');
    expect(build).toContain('                       (entries unused for 30 days are removed after each successful build)');
    expect(build).toContain('  -h, --help           this help');
    const boot = helpText(BOOT_TEST).split('\n');
    expect(boot).toContain('  --net-forward PORT:HOSTPORT');
    expect(boot.find((l) => l.startsWith('  --timeout'))).toMatch(/^ {2}--timeout S {13}give up after S seconds \(default \d+\)$/);
    expect(boot.at(-1)).toBe('  --verbose               show each check as it arrives');
  });
});
