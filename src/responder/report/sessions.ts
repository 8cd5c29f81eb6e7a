// SPDX-License-Identifier: GPL-3.0-or-later
// Sessions tables in a case folder: any JSON object with a `sessions` list of
// {kind, user, target, from, method, key, tty, start, end, endHow, result, detail} (what
// `responder logins --json` writes), read leniently: every value is checked and shortened, times
// are Unix milliseconds or ISO strings.
import { text } from './custody.js';

export interface SessionsTable {
  file: string;
  total: number;
  failures: number;
  /** Cells: start, end, kind, result, user, as, from, method, tty, detail. */
  rows: string[][];
}

const MAX_ROWS = 2_000;

function time(v: unknown): string {
  const ms = typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' ? Date.parse(v) : NaN;
  if (Number.isNaN(ms)) return '';
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function sessionsOf(file: string, doc: unknown): SessionsTable | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const list = (doc as Record<string, unknown>).sessions;
  if (!Array.isArray(list)) return undefined;
  const rows: string[][] = [];
  let failures = 0;
  for (const item of list) {
    if (typeof item !== 'object' || item === null) continue;
    const o = item as Record<string, unknown>;
    const failed = o.result === 'failure';
    if (failed) failures++;
    if (rows.length >= MAX_ROWS) continue;
    const endHow = text(o.endHow);
    const end = failed || o.kind === 'sudo' ? '-' : endHow === 'open' ? 'open at end of log' : `${time(o.end)}${endHow && endHow !== 'logout' ? ` (${endHow})` : ''}`;
    rows.push([
      time(o.start),
      end,
      text(o.kind) ?? '',
      failed ? 'FAILED' : 'ok',
      text(o.user) ?? '',
      text(o.target) ?? '',
      text(o.from) ?? '',
      [text(o.method), text(o.key)].filter(Boolean).join(' '),
      text(o.tty) ?? '',
      text(o.detail) ?? '',
    ]);
  }
  return { file, total: list.length, failures, rows };
}
