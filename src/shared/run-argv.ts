// SPDX-License-Identifier: GPL-3.0-or-later
// Running a system program for shared code (gpgv): argv arrays through execFile, never a shell,
// and a non-zero exit returned rather than thrown, so the caller words the error. The builder
// passes its own runner instead (exec/run.ts, which also writes the build log).
import { execFile } from 'node:child_process';

export interface ArgvResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export type ArgvRunner = (argv: string[]) => Promise<ArgvResult>;

export const runArgv: ArgvRunner = (argv) =>
  new Promise((resolve, reject) => {
    execFile(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: unknown }) | null;
      if (e && e.code === 'ENOENT') return reject(new Error(`${argv[0]}: program not found`));
      if (e && typeof e.code !== 'number') return reject(new Error(`${argv[0]}: ${e.message}`));
      resolve({ exitCode: e ? (e.code as unknown as number) : 0, stdout, stderr });
    });
  });
