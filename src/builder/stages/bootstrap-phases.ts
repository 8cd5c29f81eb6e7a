// SPDX-License-Identifier: GPL-3.0-or-later
// Where the bootstrap's time goes: mmdebstrap --verbose prints its own steps ("I: ...") and apt's
// and dpkg's lines, but no timestamps. The builder stamps each line as it arrives and this pure
// tracker turns the stream into seconds per phase, so a regression shows in build.json.

/** The phases, in the order they first happen in a bootstrap. */
export const BOOTSTRAP_PHASES = ['setup', 'update', 'download', 'extract', 'unpack', 'configure', 'triggers', 'initramfs', 'hooks', 'cleanup'] as const;
export type BootstrapPhase = (typeof BOOTSTRAP_PHASES)[number];

/** Seconds per phase (one decimal), every phase present (0 when it did not happen). */
export type PhaseSeconds = Record<BootstrapPhase, number>;

/**
 * The phase a line starts, or undefined when the line does not change the phase. Lines are
 * mmdebstrap's own ("I: running apt-get update..."), apt's ("Get:1 http://..."), dpkg's
 * ("Unpacking x", "Setting up x", "Processing triggers for x") and update-initramfs's.
 */
export function phaseOfLine(line: string): BootstrapPhase | undefined {
  const l = line.trimEnd();
  if (l.startsWith('I: ')) {
    const msg = l.slice(3);
    if (msg.startsWith('running apt-get update')) return 'update';
    if (msg.startsWith('downloading packages')) return 'download';
    if (msg.startsWith('extracting archives')) return 'extract';
    if (msg.startsWith('installing essential packages') || msg.startsWith('installing remaining packages')) return 'unpack';
    if (/^running (special hook|--[a-z-]+-hook)/.test(msg) || msg.startsWith('running --chrooted-')) return 'hooks';
    if (msg.startsWith('cleaning ')) return 'cleanup';
    return undefined;
  }
  if (/^Get:\d+ /.test(l)) return 'download';
  if (l.startsWith('Preparing to unpack ') || l.startsWith('Unpacking ') || l.startsWith('Selecting previously unselected package ')) return 'unpack';
  if (l.startsWith('Setting up ')) return 'configure';
  if (l.startsWith('Processing triggers for ')) return 'triggers';
  if (l.startsWith('update-initramfs: Generating ')) return 'initramfs';
  return undefined;
}

/** Accumulates time per phase from timestamped lines; the time until the next switch belongs to the current phase. */
export class PhaseTracker {
  private current: BootstrapPhase = 'setup';
  private since: number;
  private readonly totals = new Map<BootstrapPhase, number>();
  /** How many times the initramfs was generated (it should be once). */
  initramfsRuns = 0;

  constructor(startMs: number) {
    this.since = startMs;
  }

  /** The phase the bootstrap is in now. */
  get phase(): BootstrapPhase {
    return this.current;
  }

  line(text: string, atMs: number): void {
    const phase = phaseOfLine(text);
    if (phase === 'initramfs') this.initramfsRuns++;
    if (phase === undefined || phase === this.current) return;
    // apt-get update fetches the indexes with "Get:" lines too: that is still the update.
    if (phase === 'download' && this.current === 'update' && !text.startsWith('I: ')) return;
    this.switchTo(phase, atMs);
  }

  private switchTo(phase: BootstrapPhase, atMs: number): void {
    this.totals.set(this.current, (this.totals.get(this.current) ?? 0) + Math.max(0, atMs - this.since));
    this.current = phase;
    this.since = atMs;
  }

  /** Close the open phase at `endMs` and return seconds per phase. */
  finish(endMs: number): PhaseSeconds {
    this.switchTo(this.current, endMs);
    const out = {} as PhaseSeconds;
    for (const p of BOOTSTRAP_PHASES) out[p] = Math.round((this.totals.get(p) ?? 0) / 100) / 10;
    return out;
  }
}

/** Packages dpkg has unpacked and configured so far, counted from its lines (the bootstrap's progress). */
export class PackageCounter {
  unpacked = 0;
  configured = 0;

  /** True when the line changed a count. */
  line(text: string): boolean {
    if (text.startsWith('Unpacking ')) return ++this.unpacked > 0;
    if (text.startsWith('Setting up ')) return ++this.configured > 0;
    return false;
  }

  describe(phase: BootstrapPhase): string {
    return `${phase}: ${this.unpacked} packages unpacked, ${this.configured} configured`;
  }
}

/** Splits a byte stream into lines (a chunk may end mid-line) and hands each to `onLine`. */
export function lineSplitter(onLine: (line: string) => void): { push(chunk: string): void; end(): void } {
  let rest = '';
  return {
    push(chunk) {
      const parts = (rest + chunk).split(/\r?\n|\r/);
      rest = parts.pop() ?? '';
      for (const p of parts) onLine(p);
    },
    end() {
      if (rest) onLine(rest);
      rest = '';
    },
  };
}
