// SPDX-License-Identifier: GPL-3.0-or-later
// Run one of the live system's programs (argv, never a shell; never a program of the evidence) and
// stream its stdout: as chunks (icat's file content) or line by line as raw bytes (fls, journalctl),
// with bounded memory: a line longer than maxLineBytes is skipped and counted, stderr is kept only
// up to 4 KiB. The caller may stop the program early (a cap on entries).
import { spawn } from 'node:child_process';
import { programNotFound } from './run-program.js';

export interface StreamResult {
  code: number | null;
  /** The first 4 KiB of stderr. */
  stderr: string;
}

export interface LinesResult extends StreamResult {
  longLines: number;
}

export interface StreamOptions {
  /** Added to the environment (LC_ALL=C always). */
  env?: Record<string, string>;
}

/** `stop()` ends the program (SIGTERM) and delivers nothing more; an error thrown by onData stops it too and rejects. */
export function spawnStream(argv: string[], onData: (chunk: Buffer, stop: () => void) => void, opts: StreamOptions = {}): Promise<StreamResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C', ...opts.env } });
    let stopped = false;
    let stderr = '';
    const stop = () => {
      stopped = true;
      child.kill('SIGTERM');
    };
    let failure: unknown;
    child.stdout.on('data', (chunk: Buffer) => {
      if (stopped) return;
      try {
        onData(chunk, stop);
      } catch (err) {
        failure = err; // the caller's own error (a full output disk): stop, and say so once the program is gone
        stop();
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString('utf8');
    });
    child.on('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? programNotFound(argv[0]!) : err));
    child.on('close', (code) => (failure ? reject(failure) : resolve({ code, stderr })));
  });
}

export function spawnLines(argv: string[], onLine: (line: Buffer, stop: () => void) => void, opts: StreamOptions & { maxLineBytes?: number } = {}): Promise<LinesResult> {
  const maxLineBytes = opts.maxLineBytes ?? 1 << 20;
  let pending: Buffer[] = [];
  let pendingLen = 0;
  let skipping = false; // inside a line longer than maxLineBytes
  let longLines = 0;
  let stopped = false;
  let stopChild = () => undefined as void;
  const stop = () => {
    stopped = true;
    stopChild();
  };
  const deliver = (line: Buffer) => {
    if (!stopped) onLine(line, stop);
  };
  const onData = (chunk: Buffer, stopStream: () => void) => {
    stopChild = stopStream;
    let start = 0;
    for (let nl = chunk.indexOf(10, start); nl !== -1 && !stopped; nl = chunk.indexOf(10, start)) {
      if (!skipping) {
        pending.push(chunk.subarray(start, nl));
        deliver(pending.length === 1 ? pending[0]! : Buffer.concat(pending));
      }
      pending = [];
      pendingLen = 0;
      skipping = false;
      start = nl + 1;
    }
    if (start < chunk.length && !skipping && !stopped) {
      pending.push(Buffer.from(chunk.subarray(start)));
      pendingLen += chunk.length - start;
      if (pendingLen > maxLineBytes) {
        skipping = true;
        longLines++;
        pending = [];
        pendingLen = 0;
      }
    }
  };
  return spawnStream(argv, onData, opts).then((res) => {
    if (pending.length && !skipping) deliver(Buffer.concat(pending));
    return { ...res, longLines };
  });
}
