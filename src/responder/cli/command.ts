// SPDX-License-Identifier: GPL-3.0-or-later
/** One responder command: its name, a one-line summary for the command list, its --help text, and run(). */
export interface Command {
  name: string;
  summary: string;
  help: string;
  /** Returns the exit code: 0 success (or clean), 1 findings/failure, 2 usage error. */
  run(argv: string[]): Promise<number>;
}
