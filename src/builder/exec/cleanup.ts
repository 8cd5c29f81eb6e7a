// SPDX-License-Identifier: GPL-3.0-or-later
// Cleanups are stacked as work starts and unwound in reverse, on success, on failure and on Ctrl-C,
// so a build never leaves a mount or a temporary tree behind.
import { log } from '../log.js';

type CleanupFn = () => Promise<void> | void;

export class CleanupStack {
  private readonly items: { label: string; fn: CleanupFn }[] = [];

  /** Register a cleanup; returns a function that runs it early (and removes it from the stack). */
  push(label: string, fn: CleanupFn): () => Promise<void> {
    const item = { label, fn };
    this.items.push(item);
    return async () => {
      const i = this.items.indexOf(item);
      if (i >= 0) {
        this.items.splice(i, 1);
        await fn();
      }
    };
  }

  /** Run every cleanup, newest first. One failing cleanup does not stop the others. */
  async unwind(): Promise<void> {
    while (this.items.length > 0) {
      const item = this.items.pop()!;
      try {
        await item.fn();
      } catch (err) {
        log.warn(`cleanup "${item.label}" failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  get size(): number {
    return this.items.length;
  }
}

/** Unwind the stack when the process is interrupted, then exit with the conventional code. */
export function unwindOnSignals(stack: CleanupStack, exit: (code: number) => void = (code) => process.exit(code)): () => void {
  let unwinding = false;
  const handler = (signal: NodeJS.Signals) => {
    if (unwinding) return;
    unwinding = true;
    process.stderr.write(`\nbuild-live: ${signal} received, cleaning up (mounts, temporary trees)...\n`);
    void stack.unwind().finally(() => exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('SIGHUP', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
    process.off('SIGHUP', handler);
  };
}
