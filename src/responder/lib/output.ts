// SPDX-License-Identifier: GPL-3.0-or-later
// Output helpers: JSON for machines, plain text for people (progress: progress.ts).

export function printJson(value: unknown): void {
  printJsonTo(process.stdout)(value);
}

/** JSON to another stream (stderr when stdout carries an image). */
export function printJsonTo(stream: NodeJS.WritableStream): (value: unknown) => void {
  return (value) => void stream.write(JSON.stringify(value, null, 2) + '\n');
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
