// SPDX-License-Identifier: GPL-3.0-or-later
// One place where the builder reports what it does: human lines on stderr, or one JSON event per line.

export type LogEvent =
  | { event: 'command'; argv: string[]; cwd?: string; durationMs: number; exitCode: number; label?: string }
  | { event: 'stage-start'; stage: string; title: string }
  | { event: 'stage-end'; stage: string; durationMs: number; cache?: 'hit' | 'miss' | 'none'; detail?: string }
  | { event: 'stage-fail'; stage: string; durationMs: number; error: string }
  | { event: 'info' | 'warn'; message: string; stage?: string }
  | { event: 'result'; [key: string]: unknown };

export interface Logger {
  emit(ev: LogEvent): void;
  info(message: string): void;
  warn(message: string): void;
  debug(message: string): void;
}

export type LogMode = 'human' | 'json' | 'quiet';

let mode: LogMode = 'human';
let verbose = false;

export function setLogMode(m: LogMode, isVerbose = false): void {
  mode = m;
  verbose = isVerbose;
}

export function getLogMode(): LogMode {
  return mode;
}

/** The process-wide logger; JSON mode writes to stdout (machine-readable), human mode to stderr. */
export const log: Logger = {
  emit(ev) {
    if (mode === 'json') {
      process.stdout.write(JSON.stringify({ time: new Date().toISOString(), ...ev }) + '\n');
    } else if (mode === 'human' && ev.event === 'command' && verbose) {
      process.stderr.write(`  $ ${ev.argv.join(' ')}  (${(ev.durationMs / 1000).toFixed(1)}s, exit ${ev.exitCode})\n`);
    } else if (mode === 'human' && (ev.event === 'info' || ev.event === 'warn')) {
      process.stderr.write(`${ev.event === 'warn' ? 'warning: ' : ''}${ev.message}\n`);
    }
  },
  info(message) {
    this.emit({ event: 'info', message });
  },
  warn(message) {
    this.emit({ event: 'warn', message });
  },
  debug(message) {
    if (verbose && mode === 'human') process.stderr.write(`  ${message}\n`);
  },
};
