// SPDX-License-Identifier: GPL-3.0-or-later
// One error signature in both programs: a user error is one line, an optional hint and an exit
// code; anything else is an internal error (exit 70, "please report it").
import { describe, expect, it } from 'vitest';
import { CommandError, StageError, ValidationError, UserError as BuilderUserError, InternalError as BuilderInternalError } from '../../src/builder/errors.js';
import { ResponderError, UsageError } from '../../src/responder/lib/errors.js';
import { INTERNAL_EXIT_CODE, InternalError, internalErrorText, UserError, userErrorText } from '../../src/shared/errors.js';

describe('shared errors', () => {
  it("are what both programs' own kinds extend, with their exit codes kept", () => {
    expect(BuilderUserError).toBe(UserError);
    expect(BuilderInternalError).toBe(InternalError);
    expect(new ValidationError(['a', 'b'])).toMatchObject({ exitCode: 2, message: 'a\nb' });
    expect(new CommandError(['false'], 3, '', 'exit code 3')).toMatchObject({ exitCode: 3 });
    expect(new UsageError('bad flag', 'see: responder x --help')).toMatchObject({ exitCode: 2, hint: 'see: responder x --help', name: 'UsageError' });
    expect(new ResponderError('no device')).toMatchObject({ exitCode: 1, hint: undefined, name: 'ResponderError' });
    expect(new ResponderError('busy', 3, 'try later')).toMatchObject({ exitCode: 3, hint: 'try later' });
    for (const e of [new ValidationError([]), new CommandError([], 1, '', 'x'), new UsageError('x'), new ResponderError('x')]) expect(e).toBeInstanceOf(UserError);
  });

  it('print a user error as one line and its hint', () => {
    expect(userErrorText('responder', new UsageError('unknown command "x"', 'commands: a, b'))).toBe('responder: unknown command "x"\nhint: commands: a, b\n');
    expect(userErrorText('build-live', new UserError('no'))).toBe('build-live: no\n');
  });

  it('print anything else as an internal error, with the stack only where asked for', () => {
    const bug = new TypeError('x is undefined');
    expect(internalErrorText('responder', bug, false)).toBe('responder: internal error (please report it): x is undefined\n');
    expect(internalErrorText('build-live', bug, true)).toBe(`build-live: internal error (please report it): ${bug.stack}\n`);
    expect(internalErrorText('build-live', 'thrown string', true)).toBe('build-live: internal error (please report it): thrown string\n');
    expect(INTERNAL_EXIT_CODE).toBe(70);
    expect(new StageError('iso', bug).exitCode).toBe(70);
    expect(new StageError('iso', new UserError('no space', 'free some', 4))).toMatchObject({ exitCode: 4, hint: 'free some', isUserError: true });
  });
});
