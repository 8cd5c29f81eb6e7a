// SPDX-License-Identifier: GPL-3.0-or-later
// Progress a responder can trust: bytes (or items) done of total, rate, ETA and read errors so
// far. On a terminal a bar redrawn at most every 200 ms; otherwise (ssh without -t, tee, nohup)
// one plain line every 30 s, so hours of work never look like a hang. Always on stderr: stdout
// may carry an image.
import { humanBytes } from './output.js';

export interface ProgressOptions {
  /** "bytes" shows sizes and a byte rate; "items" shows counts (files checked, packages). */
  unit?: 'bytes' | 'items';
  tty?: boolean;
  write?: (s: string) => void;
  now?: () => number;
  /** Seconds between plain lines when not on a terminal. */
  plainEvery?: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export class Progress {
  private readonly tty: boolean;
  private readonly write: (s: string) => void;
  private readonly now: () => number;
  private readonly plainEvery: number;
  private readonly unit: 'bytes' | 'items';
  private readonly start: number;
  private lastDraw = 0;
  private lastPlain: number;
  private done_ = 0;
  private errors = 0;

  constructor(
    private readonly label: string,
    private readonly total: number | undefined,
    opts: ProgressOptions = {},
  ) {
    this.tty = opts.tty ?? Boolean(process.stderr.isTTY);
    this.write = opts.write ?? ((s) => void process.stderr.write(s));
    this.now = opts.now ?? Date.now;
    this.plainEvery = (opts.plainEvery ?? 30) * 1000;
    this.unit = opts.unit ?? 'bytes';
    this.start = this.now();
    this.lastPlain = this.start;
  }

  /** Announce a phase on its own line ("step 2 of 2: reading the image back"). */
  static announce(text: string, write: (s: string) => void = (s) => void process.stderr.write(s)): void {
    write(`${text}\n`);
  }

  private amount(n: number): string {
    return this.unit === 'bytes' ? humanBytes(n) : String(n);
  }

  /** The status line without decoration: "1.2 GiB of 4.0 GiB (30.0%), 85.0 MiB/s, ETA 0:34, read errors: 0". */
  status(final = false): string {
    const elapsed = (this.now() - this.start) / 1000;
    const rate = elapsed > 0 ? this.done_ / elapsed : 0;
    const parts: string[] = [];
    if (this.total) parts.push(`${this.amount(this.done_)} of ${this.amount(this.total)} (${((100 * Math.min(this.done_, this.total)) / this.total).toFixed(1)}%)`);
    else parts.push(this.amount(this.done_));
    parts.push(this.unit === 'bytes' ? `${humanBytes(Math.round(rate))}/s` : `${rate.toFixed(1)}/s`);
    if (this.total && !final) parts.push(`ETA ${rate > 0 ? formatDuration((this.total - this.done_) / rate) : '?'}`);
    if (this.unit === 'bytes') parts.push(`read errors: ${this.errors}`);
    return parts.join(', ');
  }

  update(done: number, errors = this.errors): void {
    this.done_ = done;
    this.errors = errors;
    const now = this.now();
    if (this.tty) {
      if (now - this.lastDraw < 200) return;
      this.lastDraw = now;
      const width = 24;
      const frac = this.total ? Math.min(1, done / this.total) : 0;
      const bar = this.total ? ` [${'#'.repeat(Math.round(frac * width)).padEnd(width, '.')}]` : '';
      this.write(`\r\x1b[K${this.label}${bar} ${this.status()}`);
    } else if (now - this.lastPlain >= this.plainEvery) {
      this.lastPlain = now;
      this.write(`${this.label}: ${this.status()}\n`);
    }
  }

  /** The final state, always shown once (on a terminal: the bar at 100 %; otherwise one line). */
  done(): void {
    const elapsed = formatDuration((this.now() - this.start) / 1000);
    if (this.tty) this.write(`\r\x1b[K${this.label} ${this.status(true)}, took ${elapsed}\n`);
    else this.write(`${this.label}: done, ${this.status(true)}, took ${elapsed}\n`);
  }
}

/**
 * Phase announcements ("step 2 of 3: ...") on stderr: on a terminal at once; otherwise only once
 * the command has run for QUIET seconds, so a quick run (or a quick one-line failure) stays quiet
 * while hours of work still say where they are.
 */
export function phaseReporter(opts: { tty?: boolean; write?: (s: string) => void; now?: () => number; quietSeconds?: number } = {}): (line: string) => void {
  const tty = opts.tty ?? Boolean(process.stderr.isTTY);
  const write = opts.write ?? ((s: string) => void process.stderr.write(s));
  const now = opts.now ?? Date.now;
  const start = now();
  const quiet = (opts.quietSeconds ?? 30) * 1000;
  return (line) => {
    if (tty || now() - start >= quiet) write(`${line}\n`);
  };
}
