// SPDX-License-Identifier: GPL-3.0-or-later
// systemd journal files of the evidence, read by the live system's own journalctl
// (`journalctl --file=F -o json --no-pager`): it handles dirty, rotated and corrupt files, and it
// only reads them. Never the evidence's journalctl. Output is streamed line by line and bounded
// (entries per file, bytes per line), so a huge or hostile file cannot exhaust memory.
import { spawnLines } from '../lib/spawn-lines.js';

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
  // journalctl shows the sender's own time when it gave one (_SOURCE_REALTIME_TIMESTAMP), else
  // when journald received the entry: the same here, so the two agree.
  const received = fieldText(o.__REALTIME_TIMESTAMP);
  if (!received || !/^\d{1,20}$/.test(received)) return undefined;
  const sent = fieldText(o._SOURCE_REALTIME_TIMESTAMP);
  const rt = sent && /^\d{1,20}$/.test(sent) && Number(sent) > 0 ? sent : received;
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

const FIELDS = ['MESSAGE', 'SYSLOG_IDENTIFIER', '_COMM', 'SYSLOG_PID', '_PID', '_BOOT_ID', '_SOURCE_REALTIME_TIMESTAMP'].join(',');

/** journalctl's argv for one file (exported for tests). */
export function journalctlArgv(file: string): string[] {
  return ['journalctl', `--file=${file}`, '-o', 'json', '--no-pager', `--output-fields=${FIELDS}`];
}

export async function readJournalFile(file: string, onEntry: (e: JournalEntry) => void, maxEntries = MAX_ENTRIES_PER_FILE): Promise<JournalReadResult> {
  let entries = 0;
  let truncated = false;
  const { code, stderr } = await spawnLines(
    journalctlArgv(file),
    (line, stop) => {
      const e = parseJournalJson(line.toString('utf8'));
      if (!e) return;
      if (++entries > maxEntries) {
        truncated = true;
        entries = maxEntries;
        stop();
        return;
      }
      onEntry(e);
    },
    { maxLineBytes: MAX_LINE_BYTES, env: { SYSTEMD_PAGER: '', SYSTEMD_COLORS: '0' } },
  );
  const firstLine = stderr.trim().split('\n')[0];
  return { entries, truncated, error: !truncated && code !== 0 ? firstLine || `journalctl exited with ${code}` : firstLine || undefined };
}
