// SPDX-License-Identifier: GPL-3.0-or-later
// The one command runner: argv arrays only, every command logged with its duration and exit code,
// every line of its output appended to the build log with a `label |` prefix as it arrives (so
// `tail -f` shows a long mmdebstrap working), and failures turned
// into a CommandError that carries the argv, the exit code and the tail of the output.
// Programs that outlive one call (QEMU, a probe VM) are started with `start()` from the same module.
import { appendFileSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { execa } from 'execa';
import { CommandError, formatArgv } from '../errors.js';
import { log } from '../log.js';

/**
 * The PATH for Debian's tools (mmdebstrap and what it runs) and for commands inside the image: the
 * system's folders only. A builder's PATH may put a version manager first (pyenv's shim turned each
 * of mmdebstrap's mmtarfilter calls, one per package unpacked, from 0.2 s into 1.8 s).
 */
export const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface RunOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Written to the command's stdin. */
  input?: string | Buffer;
  /** Prefix for log lines; defaults to the program's name. */
  label?: string;
  /** Return a non-zero exit instead of throwing. */
  allowFailure?: boolean;
  /** Kill the command after this many milliseconds. */
  timeoutMs?: number;
  /** Called with each line of stdout and stderr as it arrives (e.g. to time a long command's steps). */
  onLine?: (line: string) => void;
  /** Called with each state of a line redrawn in place with carriage returns (a progress bar); not logged. */
  onUpdate?: (text: string) => void;
  /** 'inherit': the program talks to our terminal (a container engine's own progress); nothing is captured. */
  stdio?: 'pipe' | 'inherit';
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  durationMs: number;
}

const TAIL_LINES = 25;
let buildLogPath: string | undefined;

/** Send every command's output to this file as well (the build's log next to its outputs). */
export function setBuildLog(path: string | undefined): void {
  buildLogPath = path;
}

export function tail(text: string, lines = TAIL_LINES): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

function appendLog(label: string, text: string): void {
  if (!buildLogPath || !text) return;
  const prefixed = text
    .trimEnd()
    .split('\n')
    .map((l) => `${label} | ${l}`)
    .join('\n');
  appendFileSync(buildLogPath, prefixed + '\n');
}

/** What an executor reports back; run() turns it into a RunResult or a CommandError. */
export interface ExecResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  all: string;
  failed: boolean;
  notFound?: boolean;
  timedOut?: boolean;
  signal?: string;
}

/** Runs one program; `onLine` gets every output line as it arrives (the build log is written live). */
export type Executor = (argv: readonly string[], opts: RunOptions, onLine: (line: string) => void) => Promise<ExecResult>;

/**
 * Splits chunks into lines (a chunk may end mid-line) for `onLine`; `end()` hands over the rest.
 * A carriage return redraws the line in place (a progress bar): each redrawn state goes to
 * `onUpdate` as it arrives, and the line that ends it is what a terminal would show last.
 */
export function lineFeeder(onLine: (line: string) => void, onUpdate?: (text: string) => void): { push(chunk: Buffer | string): void; end(): void } {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  let shown = '';
  let redrawn = false;
  const feed = (text: string): void => {
    let start = 0;
    for (const m of text.matchAll(/\r\n|\r|\n/g)) {
      const segment = text.slice(start, m.index);
      start = m.index + m[0].length;
      if (m[0] === '\r') {
        redrawn = true;
        if (segment) onUpdate?.((shown = segment));
        continue;
      }
      // The state a redrawn line ends on is its last update too (a short run may have no other).
      if (redrawn && segment) onUpdate?.(segment);
      onLine(segment || shown);
      shown = '';
      redrawn = false;
    }
    partial = text.slice(start);
  };
  return {
    push(chunk) {
      feed(partial + (typeof chunk === 'string' ? chunk : decoder.write(chunk)));
    },
    end() {
      const rest = partial + decoder.end();
      if (rest || shown) onLine(rest || shown);
      partial = shown = '';
      redrawn = false;
    },
  };
}

const execaExecutor: Executor = async (argv, opts, onLine) => {
  const [file, ...args] = argv;
  if (opts.stdio === 'inherit') {
    const r = await execa(file!, args, { cwd: opts.cwd, env: { LC_ALL: 'C.UTF-8', ...opts.env }, stdio: 'inherit', reject: false, timeout: opts.timeoutMs });
    const notFound = (r as { code?: string }).code === 'ENOENT';
    return { exitCode: r.exitCode, stdout: '', stderr: '', all: '', failed: r.failed, notFound, timedOut: r.timedOut, signal: r.signal };
  }
  const child = execa(file!, args, {
    cwd: opts.cwd,
    env: { LC_ALL: 'C.UTF-8', ...opts.env },
    input: opts.input,
    reject: false,
    all: true,
    stripFinalNewline: false,
    timeout: opts.timeoutMs,
    maxBuffer: 256 * 1024 * 1024,
  });
  const lines = lineFeeder(onLine, opts.onUpdate);
  child.all?.on('data', (chunk: Buffer | string) => lines.push(chunk));
  const result = await child;
  lines.end();
  return {
    exitCode: result.exitCode,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
    all: typeof result.all === 'string' ? result.all : '',
    failed: result.failed,
    notFound: (result as { code?: string }).code === 'ENOENT',
    timedOut: result.timedOut,
    signal: result.signal,
  };
};

let executor: Executor = execaExecutor;

/** Tests run stages and the pipeline without root or network by injecting canned results. */
export function setExecutor(e: Executor | undefined): void {
  executor = e ?? execaExecutor;
}

export async function run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file] = argv;
  if (!file) throw new Error('run: empty argv');
  const label = opts.label ?? file.split('/').pop()!;
  const started = Date.now();
  appendLog(label, `$ ${formatArgv(argv)}`);
  // Each line goes to the build log as it arrives, and to the caller's onLine (bootstrap phase timing).
  const result = await executor(argv, opts, (line) => {
    appendLog(label, line || ' ');
    opts.onLine?.(line);
  });
  const durationMs = Date.now() - started;
  const exitCode = result.exitCode ?? -1;
  log.emit({ event: 'command', argv: [...argv], cwd: opts.cwd, durationMs, exitCode, label });
  appendLog(label, `exit ${exitCode} after ${(durationMs / 1000).toFixed(1)}s`);

  if (result.failed && !(opts.allowFailure && typeof result.exitCode === 'number')) {
    let reason: string;
    if (result.notFound) reason = `program not found: ${file}`;
    else if (result.timedOut) reason = `timed out after ${opts.timeoutMs} ms`;
    else if (result.signal) reason = `killed by ${result.signal}`;
    else reason = `exit code ${exitCode}`;
    throw new CommandError(argv, exitCode, tail(result.all), reason);
  }
  return { exitCode, stdout: result.stdout, stderr: result.stderr, durationMs };
}

/** Run and return trimmed stdout. */
export async function capture(argv: readonly string[], opts: RunOptions = {}): Promise<string> {
  return (await run(argv, opts)).stdout.trim();
}

export interface StartOptions {
  /** Prefix for log lines; defaults to the program's name. */
  label?: string;
  env?: Record<string, string | undefined>;
  /** Leader of a new process group (kill() then reaches everything it started), not killed at our exit. */
  detached?: boolean;
  /** stdout and stderr appended to this file (O_APPEND, lines interleave) instead of read here. */
  outputFile?: string;
  /** Each output line as it arrives (when there is no outputFile). */
  onLine?: (line: string) => void;
}

export interface StartedResult {
  exitCode: number | undefined;
  signal: string | undefined;
  /** Why the program could not be started at all (not found, not executable). */
  startFailure: string | undefined;
}

export interface Started {
  /** Undefined when the program could not be started (`done` then says why). */
  pid: number | undefined;
  /** Settles when the program ends; never rejects. */
  done: Promise<StartedResult>;
  /** Signal the program (its whole group when detached); nothing happens once it has ended. */
  kill(signal: NodeJS.Signals): void;
}

/**
 * A program that runs beside us (QEMU, a probe VM): started from an argv array, logged when it ends
 * with its duration and exit code like run()'s commands, and stopped by the caller through kill().
 */
export function start(argv: readonly string[], opts: StartOptions = {}): Started {
  const [file, ...args] = argv;
  if (!file) throw new Error('start: empty argv');
  const label = opts.label ?? file.split('/').pop()!;
  const started = Date.now();
  appendLog(label, `$ ${formatArgv(argv)}`);
  const toFile = opts.outputFile ? { file: opts.outputFile, append: true } : undefined;
  const child = execa(file, args, {
    env: { LC_ALL: 'C.UTF-8', ...opts.env },
    detached: opts.detached ?? false,
    cleanup: !opts.detached,
    stdin: 'ignore',
    stdout: toFile ?? 'pipe',
    stderr: toFile ?? 'pipe',
    all: !toFile,
    buffer: false,
    reject: false,
  });
  const lines = lineFeeder((line) => {
    appendLog(label, line || ' ');
    opts.onLine?.(line);
  });
  child.all?.on('data', (chunk: Buffer | string) => lines.push(chunk));
  let ended = false;
  const done = child
    .then(
      (r) => ({ exitCode: r.exitCode, signal: r.signal, startFailure: r.failed && r.exitCode === undefined && !r.signal ? r.shortMessage : undefined }),
      (err: unknown) => ({ exitCode: undefined, signal: undefined, startFailure: err instanceof Error ? err.message : String(err) }),
    )
    .then((r) => {
      ended = true;
      lines.end();
      const durationMs = Date.now() - started;
      const exitCode = r.exitCode ?? -1;
      log.emit({ event: 'command', argv: [...argv], durationMs, exitCode, label });
      appendLog(label, r.startFailure ? `not started: ${r.startFailure}` : `exit ${r.signal ?? exitCode} after ${(durationMs / 1000).toFixed(1)}s`);
      return r;
    });
  const pid = child.pid;
  return {
    pid,
    done,
    kill(signal) {
      if (ended || pid === undefined) return;
      try {
        if (opts.detached) process.kill(-pid, signal);
        else child.kill(signal);
      } catch {
        // ESRCH: already gone
      }
    },
  };
}
