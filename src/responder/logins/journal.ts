// SPDX-License-Identifier: GPL-3.0-or-later
// systemd journal files of the evidence, read by the live system's own journalctl
// (`journalctl --file=F -o json --no-pager`): it handles dirty, rotated and corrupt files, and it
// only reads them. Never the evidence's journalctl. Output is streamed line by line and bounded
// (entries per file, bytes per line), so a huge or hostile file cannot exhaust memory.
import { spawn } from 'node:child_process';

export const MAX_ENTRIES_PER_FILE = 2_000_000;
const MAX_LINE_BYTES = 1 << 20;

export interface JournalEntry {
  ms: number;
  /** Sequence number and the id of the sequence it belongs to (from __CURSOR's s= and i=). */
  seqnumId: string;
  seqnum: number;
  bootId: string;
  program: string;
  pid?: number;
  message: string;
}

export interface JournalReadResult {
  entries: number;
  truncated: boolean;
  /** journalctl's complaint about the file (corrupt, not a journal), first line. */
  error?: string;
}

function fieldText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  // Binary or non-UTF-8 values come as arrays of byte values.
  if (Array.isArray(v) && v.length <= 65536 && v.every((b) => Number.isInteger(b) && b >= 0 && b < 256)) return Buffer.from(v as number[]).toString('utf8');
  return undefined;
}

/** One line of `journalctl -o json`, or undefined when it is not a usable entry. */
export function parseJournalJson(line: string): JournalEntry | undefined {
  let o: Record<string, unknown>;
  try {
    o = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof o !== 'object' || o === null) return undefined;
  const rt = fieldText(o.__REALTIME_TIMESTAMP);
  if (!rt || !/^\d{1,20}$/.test(rt)) return undefined;
  const cursor = fieldText(o.__CURSOR) ?? '';
  const s = /(?:^|;)s=([0-9a-f]{1,64})/.exec(cursor)?.[1] ?? '';
  const i = /(?:^|;)i=([0-9a-f]{1,16})/.exec(cursor)?.[1];
  const pidText = fieldText(o.SYSLOG_PID) ?? fieldText(o._PID);
  return {
    ms: Math.floor(Number(rt) / 1000),
    seqnumId: s,
    seqnum: i ? parseInt(i, 16) : NaN,
    bootId: fieldText(o._BOOT_ID) ?? '',
    program: fieldText(o.SYSLOG_IDENTIFIER) ?? fieldText(o._COMM) ?? '',
    pid: pidText && /^\d{1,10}$/.test(pidText) ? Number(pidText) : undefined,
    message: fieldText(o.MESSAGE) ?? '',
  };
}

const FIELDS = ['MESSAGE', 'SYSLOG_IDENTIFIER', '_COMM', 'SYSLOG_PID', '_PID', '_BOOT_ID'].join(',');

/** journalctl's argv for one file (exported for tests). */
export function journalctlArgv(file: string): string[] {
  return ['journalctl', `--file=${file}`, '-o', 'json', '--no-pager', `--output-fields=${FIELDS}`];
}

export function readJournalFile(file: string, onEntry: (e: JournalEntry) => void, maxEntries = MAX_ENTRIES_PER_FILE): Promise<JournalReadResult> {
  return new Promise((resolve, reject) => {
    const argv = journalctlArgv(file);
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C', SYSTEMD_PAGER: '', SYSTEMD_COLORS: '0' } });
    let entries = 0;
    let truncated = false;
    let pending: Buffer[] = [];
    let pendingLen = 0;
    let skipping = false; // inside a line longer than MAX_LINE_BYTES
    let stderr = '';
    const handle = (line: Buffer) => {
      if (truncated) return;
      const e = parseJournalJson(line.toString('utf8'));
      if (!e) return;
      if (++entries > maxEntries) {
        truncated = true;
        entries = maxEntries;
        child.kill('SIGTERM');
        return;
      }
      onEntry(e);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        if (!skipping) {
          pending.push(chunk.subarray(start, nl));
          handle(pending.length === 1 ? pending[0]! : Buffer.concat(pending));
        }
        pending = [];
        pendingLen = 0;
        skipping = false;
        start = nl + 1;
      }
      if (start < chunk.length && !skipping) {
        pending.push(Buffer.from(chunk.subarray(start)));
        pendingLen += chunk.length - start;
        if (pendingLen > MAX_LINE_BYTES) {
          skipping = true;
          pending = [];
          pendingLen = 0;
        }
      }
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString('utf8');
    });
    child.on('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? new Error('journalctl: program not found (Debian package: systemd)') : err));
    child.on('close', (code) => {
      const firstLine = stderr.trim().split('\n')[0];
      resolve({ entries, truncated, error: !truncated && code !== 0 ? firstLine || `journalctl exited with ${code}` : firstLine || undefined });
    });
  });
}
