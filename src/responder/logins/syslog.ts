// SPDX-License-Identifier: GPL-3.0-or-later
// Lines of auth.log-style files: "2024-05-01T10:00:00.123456+02:00 host prog[pid]: message"
// (RFC 3339, rsyslog's high-precision format) or "May  1 10:00:00 host prog[pid]: message"
// (traditional: local time, no year). Years of traditional lines are inferred from the file's
// modification time, walking backwards: the last line is in the mtime's year (or the year
// before, if its month is later than the mtime's), and the year drops whenever the month jumps
// forward going back in time (a file spanning New Year).
import { wallClockToUtc } from './tz.js';

export interface SyslogLine {
  /** Unix milliseconds. */
  ms: number;
  host: string;
  program: string;
  pid?: number;
  message: string;
  /** 1-based line number in the (decompressed) file. */
  lineNo: number;
}

const RFC3339 = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d) (\S+) (.*)$/;
const TRADITIONAL = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d) (\S+) (.*)$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TAG = /^([^\s[\]:]{1,64})(?:\[(\d{1,10})\])?: ?(.*)$/s;

function splitTag(rest: string): { program: string; pid?: number; message: string } {
  const m = TAG.exec(rest);
  if (!m) return { program: '', message: rest };
  return { program: m[1]!, pid: m[2] ? Number(m[2]) : undefined, message: m[3]! };
}

interface Pending {
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  host: string;
  rest: string;
  lineNo: number;
}

/**
 * Parse the lines of one file. `mtimeMs` dates traditional lines, `zone` converts them to UTC.
 * Lines that are neither form are counted in `unparsed`, not dropped silently.
 */
export function parseSyslog(text: string, mtimeMs: number, zone: string): { lines: SyslogLine[]; unparsed: number } {
  const out: (SyslogLine | Pending)[] = [];
  let unparsed = 0;
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row === '') continue;
    let m = RFC3339.exec(row);
    if (m) {
      const frac = m[7] ? Number(m[7].slice(0, 4)) : 0;
      const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[8]}`;
      const ms = Date.parse(iso) + Math.round(frac * 1000);
      if (Number.isNaN(ms)) {
        unparsed++;
        continue;
      }
      out.push({ ms, host: m[9]!, lineNo: i + 1, ...splitTag(m[10]!) });
      continue;
    }
    m = TRADITIONAL.exec(row);
    if (m) {
      out.push({ mo: MONTHS.indexOf(m[1]!), d: Number(m[2]), h: Number(m[3]), mi: Number(m[4]), s: Number(m[5]), host: m[6]!, rest: m[7]!, lineNo: i + 1 });
      continue;
    }
    unparsed++;
  }
  // Years for traditional lines, from the end backwards.
  const mtime = new Date(mtimeMs);
  let year = mtime.getUTCFullYear();
  let nextMonth = mtime.getUTCMonth();
  const lines: SyslogLine[] = new Array(out.length);
  for (let k = out.length - 1; k >= 0; k--) {
    const e = out[k]!;
    if ('ms' in e) {
      lines[k] = e;
      const d = new Date(e.ms);
      year = d.getUTCFullYear();
      nextMonth = d.getUTCMonth();
      continue;
    }
    if (e.mo > nextMonth) year--;
    nextMonth = e.mo;
    const ms = wallClockToUtc(zone, year, e.mo, e.d, e.h, e.mi, e.s);
    lines[k] = { ms, host: e.host, lineNo: e.lineNo, ...splitTag(e.rest) };
  }
  return { lines, unparsed };
}
