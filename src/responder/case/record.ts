// SPDX-License-Identifier: GPL-3.0-or-later
// Run one command and, when a case is open (before or after it: `case open` and `case close`
// count), append its journal entry: command line, UTC start and end, exit code, and the sha256
// of every output it recorded, fsynced before the command's exit is reported.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CASE_FILE, appendEntry } from './journal.js';
import { describeOutputs } from './outputs.js';
import { pointedCaseDir } from './state.js';

function userName(): string {
  try {
    const sudoFrom = process.env.SUDO_USER ? ` (sudo from ${process.env.SUDO_USER})` : '';
    return os.userInfo().username + sudoFrom;
  } catch {
    return String(process.getuid?.() ?? '?');
  }
}

function exitCodeOf(err: unknown): number {
  const code = (err as { exitCode?: unknown })?.exitCode;
  return typeof code === 'number' ? code : 70;
}

export async function runJournaled(argv: string[], run: () => Promise<number>): Promise<number> {
  const before = pointedCaseDir();
  const started = new Date();
  let code: number;
  let failure: unknown;
  try {
    code = await run();
  } catch (err) {
    failure = err;
    code = exitCodeOf(err);
  }
  const dir = pointedCaseDir() ?? before;
  if (dir) {
    if (existsSync(path.join(dir, CASE_FILE))) {
      const outputs = await describeOutputs(dir);
      const { seq, head } = await appendEntry(dir, {
        command: ['responder', ...argv],
        cwd: process.cwd(),
        user: userName(),
        started: started.toISOString(),
        finished: new Date().toISOString(),
        exitCode: code,
        outputs,
      });
      process.stderr.write(`journal: entry ${seq} in ${dir}, head ${head.slice(0, 16)}\n`);
    } else {
      process.stderr.write(`responder: warning: the case folder ${dir} is not there (collection disk unmounted?): this command is not in its journal\n`);
    }
  }
  if (failure !== undefined) throw failure;
  return code;
}
