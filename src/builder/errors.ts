// SPDX-License-Identifier: GPL-3.0-or-later
// Typed errors, caught once at the top level (cli/main.ts). Nothing deep inside calls process.exit.
// UserError (one line + optional hint + exit code) and InternalError ("please report it") are the
// signature both programs share (src/shared/errors.ts); the builder's own kinds extend them.
import { INTERNAL_EXIT_CODE, InternalError, UserError } from '../shared/errors.js';

export { InternalError, UserError };

/** Several problems found in one pass (profile validation, the verify steps): all are printed, exit code 2. */
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

/**
 * Wraps any failure with the stage it happened in, so the top level can say where the build broke.
 * Not a UserError: the cause decides. A UserError cause keeps its hint and exit code; anything
 * else is a bug inside the stage and gets the "internal error, please report" treatment.
 */
export class StageError extends Error {
  constructor(
    readonly stage: string,
    override readonly cause: unknown,
  ) {
    super(`stage ${stage} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'StageError';
  }

  /** True when the cause is the user's to fix (a bad profile, a failed command, a failed hook). */
  get isUserError(): boolean {
    return this.cause instanceof UserError;
  }

  get hint(): string | undefined {
    return this.cause instanceof UserError ? this.cause.hint : undefined;
  }

  get exitCode(): number {
    return this.cause instanceof UserError ? this.cause.exitCode : INTERNAL_EXIT_CODE;
  }
}

/** Quote an argv for humans to copy and paste (display only; we never run shell strings). */
export function formatArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
