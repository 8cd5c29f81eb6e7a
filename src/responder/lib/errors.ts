// SPDX-License-Identifier: GPL-3.0-or-later
// The responder's errors. Every one becomes a single line on stderr and an exit code at the top
// (main.ts); nothing deep inside calls process.exit, and a user never sees a stack trace.

/** Wrong flags or arguments: exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Something about the input or the system stops the command (missing device, no permission, corrupt file): exit code 1 unless told. */
export class ResponderError extends Error {
  constructor(message: string, readonly exitCode = 1, readonly hint?: string) {
    super(message);
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
