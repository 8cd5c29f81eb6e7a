// SPDX-License-Identifier: GPL-3.0-or-later
// The one error signature of build-live and responder. Each program catches once at its top level
// (src/builder/cli/main.ts, src/responder/main.ts) and prints:
//   - a UserError as one line "PROGRAM: MESSAGE", then "hint: HINT" when there is one, and exits
//     with its exit code (never a stack trace: the user can fix it);
//   - anything else as a bug: "PROGRAM: internal error (please report it): ...", exit 70.
// Each program's own errors (build-live's ValidationError/CommandError, the responder's
// UsageError/ResponderError) extend UserError, so the top levels ask one question.

/** A mistake the user can fix (bad input, missing file, failed command): one line, an optional hint, an exit code. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A broken promise inside the program itself: reported as an internal error, "please report it". */
export class InternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InternalError';
  }
}

/** The exit code of an internal error (EX_SOFTWARE). */
export const INTERNAL_EXIT_CODE = 70;

/** "PROGRAM: MESSAGE" and, with a hint, "hint: HINT": a user error as printed, newline-terminated. */
export function userErrorText(program: string, err: UserError): string {
  return `${program}: ${err.message}\n${hintText(err.hint)}`;
}

/** The hint line of a user error ('' without one). */
export function hintText(hint: string | undefined): string {
  return hint ? `hint: ${hint}\n` : '';
}

/** "PROGRAM: internal error (please report it): ..." with the stack when asked for, newline-terminated. */
export function internalErrorText(program: string, err: unknown, withStack: boolean): string {
  // build-live shows the stack (a bug report needs it); the responder shows the message only.
  const detail = withStack ? (err instanceof Error ? (err.stack ?? err.message) : String(err)) : ((err as Error | undefined)?.message ?? String(err));
  return `${program}: internal error (please report it): ${detail}\n`;
}
