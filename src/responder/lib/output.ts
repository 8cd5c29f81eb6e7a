// SPDX-License-Identifier: GPL-3.0-or-later
// Output helpers: JSON for machines, plain text for people (never a raw control character), a
// progress bar only on a TTY.
import { terminalSafe } from '../evidence/escape.js';

/** Text output of a command: every line made terminal-safe (evidence/escape.ts terminalSafe). */
export function printText(text: string): void {
  process.stdout.write(terminalSafe(text));
}

/** JSON.stringify escapes C0 controls; C1, bidi and line controls become \\uXXXX too (same string once parsed). */
export function jsonText(value: unknown, indent: number | undefined = 2): string {
  return JSON.stringify(value, null, indent).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

export function printJson(value: unknown): void {
  process.stdout.write(jsonText(value) + '\n');
}

export function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** A progress bar on stderr, drawn at most every 200 ms, and only when stderr is a terminal. */
export class Progress {
  private last = 0;
  private readonly enabled: boolean;
  constructor(
    private readonly label: string,
    private readonly total: number | undefined,
    enabled = Boolean(process.stderr.isTTY),
  ) {
    this.enabled = enabled;
  }

  update(done: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 200) return;
    this.last = now;
    const width = 30;
    if (this.total) {
      const frac = Math.min(1, done / this.total);
      const bar = '#'.repeat(Math.round(frac * width)).padEnd(width, '.');
      process.stderr.write(`\r${this.label} [${bar}] ${(frac * 100).toFixed(1)}% ${humanBytes(done)}`);
    } else {
      process.stderr.write(`\r${this.label} ${humanBytes(done)}`);
    }
  }

  done(): void {
    if (this.enabled) process.stderr.write('\n');
  }
}
