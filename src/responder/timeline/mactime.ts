// SPDX-License-Identifier: GPL-3.0-or-later
// mactime-style timeline from body records: every distinct non-zero time of a file becomes one
// event with its "macb" flags (m modified, a accessed, c changed, b born), sorted by time. The
// layout is exactly `mactime -b BODY -y -z UTC` (text) and `... -d` (CSV), so responders can diff
// it against Sleuth Kit's own output; dates are always ISO 8601 UTC, never local time.
import type { BodyRecord } from './body.js';

export interface TimelineEvent {
  time: number; // Unix seconds
  macb: string;
  size: number;
  mode: string;
  uid: number;
  gid: number;
  inode: string;
  name: string; // escaped, as in the body file
}

export interface TimeRange {
  from?: number; // inclusive, Unix seconds
  to?: number; // inclusive
}

/**
 * The events of one record, one per distinct time, in time order. A time of 0 means "not known"
 * (no birth time, or a file system without it) and, as in mactime, produces no event.
 */
export function eventsOf(r: BodyRecord, range: TimeRange = {}): TimelineEvent[] {
  const times = [...new Set([r.mtime, r.atime, r.ctime, r.crtime])].filter((t) => t !== 0).sort((a, b) => a - b);
  const out: TimelineEvent[] = [];
  for (const t of times) {
    if (range.from !== undefined && t < range.from) continue;
    if (range.to !== undefined && t > range.to) continue;
    const macb = (r.mtime === t ? 'm' : '.') + (r.atime === t ? 'a' : '.') + (r.ctime === t ? 'c' : '.') + (r.crtime === t ? 'b' : '.');
    out.push({ time: t, macb, size: r.size, mode: r.mode, uid: r.uid, gid: r.gid, inode: r.inode, name: r.name });
  }
  return out;
}

/** "2020-01-02T03:04:05Z", mactime -y -z UTC's date. */
export function isoSeconds(t: number): string {
  const d = new Date(t * 1000);
  if (Number.isNaN(d.getTime())) return String(t);
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Parse --from/--to: "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" with optional "Z" (always UTC; other
 * offsets are refused rather than guessed). A bare date as the end of a range means the whole day.
 */
export function parseDate(text: string, end: boolean): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?Z?)?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  if (Number.isNaN(ms)) return undefined;
  // Reject impossible dates that Date.UTC would roll over (2020-02-31).
  const check = new Date(ms);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return undefined;
  let t = Math.floor(ms / 1000);
  if (end && h === undefined) t += 86_399;
  else if (end && s === undefined) t += 59;
  return t;
}

export const CSV_HEADER = 'Date,Size,Type,Mode,UID,GID,Meta,File Name';

function csvQuote(s: string): string {
  return '"' + s.replace(/"/g, '""') + '"';
}

/** Formats events one by one; text mode prints the date only on the first line of each second, like mactime. */
export class TimelineFormatter {
  private lastTime: number | undefined;
  constructor(private readonly format: 'text' | 'csv' | 'json') {}

  header(): string {
    return this.format === 'csv' ? CSV_HEADER + '\n' : '';
  }

  line(e: TimelineEvent): string {
    const date = isoSeconds(e.time);
    if (this.format === 'json') {
      return JSON.stringify({ time: date, epoch: e.time, macb: e.macb, size: e.size, mode: e.mode, uid: e.uid, gid: e.gid, inode: e.inode, name: e.name }) + '\n';
    }
    if (this.format === 'csv') return `${date},${e.size},${e.macb},${e.mode},${e.uid},${e.gid},${e.inode},${csvQuote(e.name)}\n`;
    const shown = this.lastTime === e.time ? ' '.repeat(date.length) : date;
    this.lastTime = e.time;
    return `${shown} ${String(e.size).padStart(8)} ${e.macb} ${e.mode} ${String(e.uid).padEnd(8)} ${String(e.gid).padEnd(8)} ${e.inode.padEnd(8)} ${e.name}\n`;
  }
}

// Events travel through the external sort as a key and a payload. The key is mactime's own order
// within one second: it sorts the strings "time,inode,name" (inode compared as a string), so equal
// times are ordered by inode, then name, independent of the order of the walk.
export function sortKey(e: TimelineEvent): string {
  return `${e.inode},${e.name}`;
}

export function encodeEvent(e: TimelineEvent): string {
  return `${e.size}|${e.macb}|${e.mode}|${e.uid}|${e.gid}`;
}

export function decodeEvent(time: number, key: string, payload: string): TimelineEvent {
  const comma = key.indexOf(',');
  const f = payload.split('|');
  return {
    time,
    size: Number(f[0]),
    macb: f[1] ?? '....',
    mode: f[2] ?? '',
    uid: Number(f[3]),
    gid: Number(f[4]),
    inode: key.slice(0, comma),
    name: key.slice(comma + 1),
  };
}
