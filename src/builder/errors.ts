// SPDX-License-Identifier: GPL-3.0-or-later
// Typed errors, caught once at the top level (cli/main.ts). Nothing deep inside calls process.exit.

/** A mistake the user can fix: printed as one line (plus an optional hint), never with a stack trace. */
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

/** Several problems found in one pass (profile validation): all are printed, exit code 2. */
export class ValidationError extends UserError {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'), undefined, 2);
    this.name = 'ValidationError';
  }
}

/** An external command failed: names the argv, the exit code and the tail of its output. */
export class CommandError extends UserError {
  constructor(
    readonly argv: readonly string[],
    override readonly exitCode: number,
    readonly outputTail: string,
    reason: string,
  ) {
    super(`command failed (${reason}): ${formatArgv(argv)}`, undefined, 1);
    this.name = 'CommandError';
  }
}

/** Wraps any failure with the stage it happened in, so the top level can say where the build broke. */
export class StageError extends UserError {
  constructor(
    readonly stage: string,
    override readonly cause: unknown,
  ) {
    super(`stage ${stage} failed: ${cause instanceof Error ? cause.message : String(cause)}`, cause instanceof UserError ? cause.hint : undefined, 1);
    this.name = 'StageError';
  }
}

/** Quote an argv for humans to copy and paste (display only; we never run shell strings). */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
