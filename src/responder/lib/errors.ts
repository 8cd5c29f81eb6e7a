// SPDX-License-Identifier: GPL-3.0-or-later
// The responder's errors. Every one becomes a single line on stderr and an exit code at the top
// (main.ts); nothing deep inside calls process.exit, and a user never sees a stack trace. Both
// kinds are the shared UserError (src/shared/errors.ts: one line + optional hint + exit code, the
// signature build-live uses too); anything else is an internal error.
import { UserError } from '../../shared/errors.js';

export { UserError };

/** Wrong flags or arguments: exit code 2. */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, hint, 2);
    this.name = 'UsageError';
  }
}

/** Something about the input or the system stops the command (missing device, no permission, corrupt file): exit code 1 unless told. */
export class ResponderError extends UserError {
  constructor(message: string, exitCode = 1, hint?: string) {
    super(message, hint, exitCode);
    this.name = 'ResponderError';
  }
}

/** Turn a Node.js system error into one line a responder can act on, naming the path. */
export function describeSystemError(err: unknown, what: string): ResponderError {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return new ResponderError(`${what}: no such file or device`);
    case 'EACCES':
    case 'EPERM':
      return new ResponderError(`${what}: permission denied (run as root?)`);
    case 'EISDIR':
      return new ResponderError(`${what}: is a directory`);
    case 'ENOTDIR':
      return new ResponderError(`${what}: not a directory`);
    case 'EIO':
      return new ResponderError(`${what}: input/output error (failing media?)`);
    default:
      return new ResponderError(`${what}: ${e?.message ?? String(err)}`);
  }
}
