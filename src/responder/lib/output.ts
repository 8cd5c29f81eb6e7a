// SPDX-License-Identifier: GPL-3.0-or-later
// Output helpers: JSON for machines, plain text for people (never a raw control character;
// progress: progress.ts).
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
  printJsonTo(process.stdout)(value);
}

/** JSON to another stream (stderr when stdout carries an image). */
export function printJsonTo(stream: NodeJS.WritableStream): (value: unknown) => void {
  return (value) => void stream.write(jsonText(value) + '\n');
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
