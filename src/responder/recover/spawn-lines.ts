// SPDX-License-Identifier: GPL-3.0-or-later
// Run one of the live system's programs (argv, never a shell) and hand its stdout to a callback
// line by line as raw bytes, with bounded memory: a line longer than maxLineBytes is skipped and
// counted, stderr is kept only up to 4 KiB.
import { spawn } from 'node:child_process';
import { ResponderError } from '../lib/errors.js';

export interface LinesResult {
  code: number | null;
  stderr: string;
  longLines: number;
}

export function spawnLines(argv: string[], onLine: (line: Buffer) => void, maxLineBytes = 1 << 20): Promise<LinesResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let pending: Buffer[] = [];
    let pendingLen = 0;
    let skipping = false;
    let longLines = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        if (!skipping) {
          pending.push(chunk.subarray(start, nl));
          onLine(pending.length === 1 ? pending[0]! : Buffer.concat(pending));
        }
        pending = [];
        pendingLen = 0;
        skipping = false;
        start = nl + 1;
      }
      if (start < chunk.length && !skipping) {
        pending.push(Buffer.from(chunk.subarray(start)));
        pendingLen += chunk.length - start;
        if (pendingLen > maxLineBytes) {
          skipping = true;
          longLines++;
          pending = [];
          pendingLen = 0;
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString('utf8');
    });
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(err.code === 'ENOENT' ? new ResponderError(`${argv[0]}: program not found`, 1, 'install it (Debian package: sleuthkit)') : err),
    );
    child.on('close', (code) => {
      if (pending.length && !skipping) onLine(Buffer.concat(pending));
      resolve({ code, stderr, longLines });
    });
  });
}
