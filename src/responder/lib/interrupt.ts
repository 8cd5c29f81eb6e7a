// SPDX-License-Identifier: GPL-3.0-or-later
// Ctrl-C and `kill` during long work: instead of dying mid-write, the work stops at the next
// chunk, the command records what happened (the custody log says "interrupted") and exits with
// the shell's usual code for the signal (130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP).
import { ResponderError } from './errors.js';

const CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

export class Interrupted extends ResponderError {
  constructor(readonly signal: NodeJS.Signals) {
    super(`interrupted by ${signal}`, CODES[signal] ?? 1);
    this.name = 'Interrupted';
  }
}

/** Catch SIGINT/SIGTERM/SIGHUP until release(); the returned signal aborts with the signal's name. */
export function trapSignals(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const handlers = (Object.keys(CODES) as NodeJS.Signals[]).map((sig) => {
    const h = () => {
      if (!controller.signal.aborted) {
        process.stderr.write(`\nresponder: ${sig} received: stopping and recording the interruption (again to quit at once)\n`);
        controller.abort(sig);
        return;
      }
      // A second signal: the responder insists (a write may be stuck on a dead network peer).
      // The log then still says "in progress", which is true: it never finished.
      process.exit(CODES[sig] ?? 1);
    };
    process.on(sig, h);
    return [sig, h] as const;
  });
  return {
    signal: controller.signal,
    release: () => handlers.forEach(([sig, h]) => process.off(sig, h)),
  };
}

export function throwIfInterrupted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Interrupted(signal.reason as NodeJS.Signals);
}

/** PROMISE, or an Interrupted rejection as soon as SIGNAL fires (a stalled socket must not hang Ctrl-C). */
export function unlessInterrupted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new Interrupted(signal.reason as NodeJS.Signals));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Interrupted(signal.reason as NodeJS.Signals));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}
