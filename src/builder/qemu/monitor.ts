// SPDX-License-Identifier: GPL-3.0-or-later
// A tiny QMP client for the monitor socket that argv.ts creates with `monitorSocket`, so a test
// can act on the running guest (for example hot-add a disk with drive_add/device_add).
// QMP rather than the human monitor: its replies are JSON with a clear end, while HMP output has
// prompts and echoes to strip. HMP commands still work through QMP's human-monitor-command.
import { createConnection, type Socket } from 'node:net';

export interface MonitorOptions {
  /** For the whole exchange, connecting included. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
// QEMU creates the socket a moment after it starts; keep trying to connect until the deadline.
const RETRY_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'EAGAIN']);

export class QmpError extends Error {
  constructor(
    readonly command: string,
    readonly errorClass: string,
    desc: string,
  ) {
    super(`QMP ${command} failed: ${desc} (${errorClass})`);
    this.name = 'QmpError';
  }
}

/** Runs an HMP command line (e.g. `drive_add 0 if=none,id=d9,file=x.img`) and returns its text output. */
export async function sendMonitorCommand(socketPath: string, command: string, opts: MonitorOptions = {}): Promise<string> {
  const ret = await qmpExecute(socketPath, 'human-monitor-command', { 'command-line': command }, opts);
  return typeof ret === 'string' ? ret : JSON.stringify(ret);
}

/** Runs one QMP command (after the capabilities handshake) and returns its `return` value. */
export async function qmpExecute(socketPath: string, execute: string, args?: Record<string, unknown>, opts: MonitorOptions = {}): Promise<unknown> {
  const deadline = Date.now() + (opts.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const socket = await connectWithRetry(socketPath, deadline);
  const reader = lineReader(socket, deadline);
  try {
    const greeting = await reader.next();
    if (!greeting || typeof greeting !== 'object' || !('QMP' in greeting)) {
      throw new Error(`not a QMP monitor at ${socketPath}: ${JSON.stringify(greeting)}`);
    }
    await roundTrip(socket, reader, 'qmp_capabilities', undefined, 'cap');
    return await roundTrip(socket, reader, execute, args, 'cmd');
  } finally {
    socket.destroy();
  }
}

async function roundTrip(socket: Socket, reader: ReturnType<typeof lineReader>, execute: string, args: Record<string, unknown> | undefined, id: string): Promise<unknown> {
  socket.write(JSON.stringify({ execute, ...(args ? { arguments: args } : {}), id }) + '\n');
  for (;;) {
    const msg = (await reader.next()) as Record<string, unknown> | undefined;
    if (!msg || typeof msg !== 'object') throw new Error(`QMP ${execute}: connection closed before the reply`);
    if ('event' in msg) continue; // asynchronous events can arrive at any time
    if (msg.id !== undefined && msg.id !== id) continue;
    if ('error' in msg) {
      const err = (msg.error ?? {}) as { class?: string; desc?: string };
      throw new QmpError(execute, err.class ?? 'GenericError', err.desc ?? 'unknown error');
    }
    if ('return' in msg) return msg.return;
  }
}

function connectWithRetry(socketPath: string, deadline: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      const s = createConnection(socketPath);
      s.once('connect', () => {
        s.removeAllListeners('error');
        resolve(s);
      });
      s.once('error', (err: NodeJS.ErrnoException) => {
        s.destroy();
        if (RETRY_CODES.has(err.code ?? '') && Date.now() < deadline) setTimeout(attempt, 200);
        else reject(new Error(`cannot connect to the QEMU monitor ${socketPath}: ${err.message}`));
      });
    };
    attempt();
  });
}

/** Reads newline-delimited JSON messages; rejects when the deadline passes. */
function lineReader(socket: Socket, deadline: number): { next(): Promise<unknown> } {
  let buffer = '';
  const queue: unknown[] = [];
  let waiting: { resolve: (v: unknown) => void; reject: (e: Error) => void } | undefined;
  let failure: Error | undefined;
  let ended = false;

  const settle = (): void => {
    if (!waiting) return;
    const w = waiting;
    if (queue.length > 0) {
      waiting = undefined;
      w.resolve(queue.shift());
    } else if (failure) {
      waiting = undefined;
      w.reject(failure);
    } else if (ended) {
      waiting = undefined;
      w.resolve(undefined);
    }
  };
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) !== -1) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (!line) continue;
      try {
        queue.push(JSON.parse(line));
      } catch {
        failure = new Error(`QMP: unparseable reply: ${line.slice(0, 200)}`);
      }
    }
    settle();
  });
  socket.on('error', (err) => {
    failure = err;
    settle();
  });
  socket.on('close', () => {
    ended = true;
    settle();
  });
  const timer = setTimeout(
    () => {
      failure = new Error('QMP: no reply before the timeout');
      settle();
    },
    Math.max(0, deadline - Date.now()),
  );
  socket.on('close', () => clearTimeout(timer));

  return {
    next() {
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject };
        settle();
      });
    },
  };
}
