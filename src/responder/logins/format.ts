// SPDX-License-Identifier: GPL-3.0-or-later
// The sessions table and the findings as text for a terminal, every evidence string escaped.
import { escapeEvidence } from './escape.js';
import type { GapFinding } from './gaps.js';
import type { SessionRow } from './sessions.js';

const iso = (ms: number | undefined) => (ms === undefined ? '' : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));
const MAX_DETAIL = 120;

function end(r: SessionRow): string {
  if (r.kind === 'sudo' || r.result === 'failure') return '-';
  if (r.endHow === 'open' || r.end === undefined) return 'open at end of log';
  return `${iso(r.end)}${r.endHow && r.endHow !== 'logout' ? ` (${r.endHow})` : ''}`;
}

export function sessionCells(r: SessionRow): string[] {
  const detail = r.detail ? escapeEvidence(r.detail) : '';
  const method = [r.method, r.key].filter(Boolean).join(' ');
  return [
    iso(r.start),
    end(r),
    r.kind,
    r.result === 'success' ? 'ok' : 'FAILED',
    escapeEvidence(r.user),
    r.target ? escapeEvidence(r.target) : '',
    r.from ? escapeEvidence(r.from) : '',
    escapeEvidence(method),
    r.tty ? escapeEvidence(r.tty) : '',
    detail.length > MAX_DETAIL ? detail.slice(0, MAX_DETAIL) + '…' : detail,
  ];
}

export const SESSION_HEADER = ['START (UTC)', 'END', 'KIND', 'RESULT', 'USER', 'AS', 'FROM', 'METHOD', 'TTY', 'DETAIL'];

export function formatTable(rows: SessionRow[]): string {
  const cells = [SESSION_HEADER, ...rows.map(sessionCells)];
  const widths = SESSION_HEADER.map((_, k) => Math.min(60, Math.max(...cells.map((c) => c[k]!.length))));
  return (
    cells
      .map((c) =>
        c
          .map((v, k) => (k === c.length - 1 ? v : v.padEnd(widths[k]!)))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}

export function formatFindings(findings: GapFinding[]): string {
  return findings.map((f) => `${f.severity.toUpperCase().padEnd(8)}  ${escapeEvidence(f.title)}\n          ${escapeEvidence(f.detail)}\n`).join('');
}
