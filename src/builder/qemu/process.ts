// SPDX-License-Identifier: GPL-3.0-or-later
// The running QEMU: spawned in its own process group and never left behind. A stray QEMU keeps
// 2 GiB and a CPU busy for minutes and holds the ISO and the evidence images open, so it is
// killed on every path out: normal end, exception, our own SIGINT/SIGTERM, and process exit.
import { writeFileSync } from 'node:fs';
import { start, type Started } from '../exec/run.js';

const STOP_GRACE_MS = 5_000;
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type HandledSignal = (typeof SIGNALS)[number];

export class QemuProcess {
  exited = false;
  exitCode: number | undefined;
  /** Set when our own process received a signal while QEMU ran. */
  interruptedBy: HandledSignal | undefined;
  private readonly controller = new AbortController();
  private readonly done: Promise<void>;
  private readonly onSignal = new Map<HandledSignal, () => void>();
  private readonly onExit = (): void => this.kill('SIGKILL');
  private stopped = false;
  private readonly wakers = new Set<() => void>();
  /** Why QEMU could not be started at all, if that happened. */
  failure: string | undefined;

  readonly pid: number;

  private constructor(private readonly child: Started) {
    this.pid = child.pid ?? -1;
    this.done = child.done.then((r) => {
      this.exited = true;
      this.exitCode = r.exitCode;
      // Spawn failures (ENOENT, EACCES) have no exit code; keep the runner's message for the report.
      this.failure = r.startFailure;
      for (const wake of [...this.wakers]) wake();
    });
    for (const sig of SIGNALS) {
      const handler = (): void => {
        this.interruptedBy ??= sig;
        this.kill('SIGTERM');
        this.controller.abort();
      };
      this.onSignal.set(sig, handler);
      process.on(sig, handler);
    }
    process.on('exit', this.onExit);
  }

  /** Starts argv[0] with stdout+stderr appended to logPath, as the leader of a new process group. */
  static spawn(argv: readonly string[], logPath: string): QemuProcess {
    if (!argv[0]) throw new Error('QemuProcess.spawn: empty argv');
    writeFileSync(logPath, '');
    // Own process group: kill reaches QEMU and anything it started; we stop it ourselves, for the
    // whole group. Both streams appended to one file (O_APPEND, so their lines interleave).
    // On a spawn failure (ENOENT...) pid is undefined and `done` reports the error.
    return new QemuProcess(start(argv, { detached: true, outputFile: logPath }));
  }

  /** Aborted when our process is asked to stop; the watcher loop checks it. */
  get abortSignal(): AbortSignal {
    return this.controller.signal;
  }

  /** Sleeps, but wakes early when QEMU exits or we are interrupted. */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const signal = this.controller.signal;
      const finish = (): void => {
        clearTimeout(timer);
        signal.removeEventListener('abort', finish);
        this.wakers.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, ms);
      signal.addEventListener('abort', finish, { once: true });
      this.wakers.add(finish);
      if (this.exited || signal.aborted) finish();
    });
  }

  private kill(signal: NodeJS.Signals): void {
    if (this.exited) return;
    this.child.kill(signal);
  }

  /** SIGTERM (QEMU flushes its disk images), SIGKILL after a grace period; idempotent. */
  async stop(): Promise<void> {
    if (!this.exited) {
      this.kill('SIGTERM');
      const timer = setTimeout(() => this.kill('SIGKILL'), STOP_GRACE_MS);
      await this.done;
      clearTimeout(timer);
    }
    await this.done;
    if (this.stopped) return;
    this.stopped = true;
    for (const [sig, handler] of this.onSignal) process.off(sig, handler);
    process.off('exit', this.onExit);
    // Our handler replaced the default action of the signal. If nobody else handles it, deliver it
    // again now that QEMU is gone, so Ctrl-C still ends the program.
    const sig = this.interruptedBy;
    if (sig && process.listenerCount(sig) === 0) process.kill(process.pid, sig);
  }
}

/** The last lines of the console log, without CRs and terminal escape sequences (GRUB's menu). */
export function consoleTail(text: string, lines = 40): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
      // eslint-disable-next-line no-control-regex
      .replace(/\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMc]/g, '')
      .replace(/\r/g, '')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .join('\n')
  );
}
