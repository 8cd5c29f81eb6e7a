// SPDX-License-Identifier: GPL-3.0-or-later
// Collect what a case folder holds, read-only: custody logs, findings files, timelines (body files
// and mactime CSVs) and other JSON outputs. The folder is walked by the evidence walker (no symlink followed), with
// caps on depth, entries and file sizes, and every file is only opened for reading.
import { closeSync, createReadStream, openSync, readFileSync, readSync } from 'node:fs';
import readline from 'node:readline';
import { escapeName } from '../evidence/escape.js';
import { utf8Exact, walkEvidence } from '../evidence/walk.js';
import { parseBodyLine } from '../timeline/body.js';
import { CSV_HEADER, eventsOf, type TimelineEvent } from '../timeline/mactime.js';
import { normalizeCustody, text, type Custody } from './custody.js';
import { sessionsOf, type SessionsTable } from './sessions.js';
import { gatherJournal, type JournalReport } from './journal.js';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Finding {
  severity: Severity;
  title: string;
  detail?: string;
  path?: string;
  time?: string;
  source: string; // the findings file it came from
}

export interface TimelineSummary {
  file: string;
  kind: 'body' | 'csv';
  entries: number;
  events: number;
  malformedLines: number;
  first?: number;
  last?: number;
  /** Body files: the latest events, oldest first. CSV files: the last lines. */
  latest: TimelineEvent[];
  tail: string[];
}

export interface CaseFile {
  file: string; // relative to the case folder, escaped for display
  size: number;
  kind: string;
}

export interface CaseData {
  caseDir: string;
  custody: Custody[];
  findings: Finding[];
  timelines: TimelineSummary[];
  otherJson: { file: string; summary: string }[];
  /** Sessions tables (`responder logins --json`). */
  sessions: SessionsTable[];
  files: CaseFile[];
  problems: string[];
  /** The case's activity journal (responder case), when the folder has one. */
  journal?: JournalReport;
}

const MAX_DEPTH = 8;
const MAX_ENTRIES = 50_000;
const MAX_JSON_BYTES = 32 << 20;
const MAX_FINDINGS = 5_000;

function severityOf(v: unknown): Severity {
  const s = typeof v === 'string' ? v.toLowerCase() : '';
  return (SEVERITIES as readonly string[]).includes(s) ? (s as Severity) : s === 'warning' ? 'medium' : s === 'error' ? 'high' : 'info';
}

/** The findings convention: a JSON object with a `findings` array of {severity, title, detail, path, time} or strings. */
export function findingsOf(source: string, doc: unknown): Finding[] | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return undefined;
  const list = (doc as Record<string, unknown>).findings;
  if (!Array.isArray(list)) return undefined;
  const out: Finding[] = [];
  for (const f of list.slice(0, MAX_FINDINGS)) {
    if (typeof f === 'string') out.push({ severity: 'info', title: f, source });
    else if (typeof f === 'object' && f !== null) {
      const o = f as Record<string, unknown>;
      out.push({
        severity: severityOf(o.severity ?? o.level),
        title: text(o.title ?? o.summary ?? o.message ?? o.name) ?? '(untitled finding)',
        detail: text(o.detail ?? o.details ?? o.description),
        path: text(o.path ?? o.file),
        time: text(o.time ?? o.timestamp),
        source,
      });
    }
  }
  return out;
}

function describeJson(doc: unknown): string {
  if (Array.isArray(doc)) {
    // `responder elf --json` writes an array of reports with a status each: count them.
    const statuses = doc.map((d) => (typeof d === 'object' && d && 'status' in d ? String((d as { status: unknown }).status) : undefined)).filter(Boolean) as string[];
    if (statuses.length === doc.length && doc.length > 0) {
      const counts = new Map<string, number>();
      for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
      return `${doc.length} entries: ${[...counts].map(([s, n]) => `${n} ${s}`).join(', ')}`;
    }
    return `a list of ${doc.length} entries`;
  }
  if (typeof doc === 'object' && doc !== null) {
    const keys = Object.keys(doc);
    return `an object with ${keys.length} keys: ${keys.slice(0, 12).join(', ')}${keys.length > 12 ? ', …' : ''}`;
  }
  return `a JSON ${typeof doc}`;
}

/** Keeps the `limit` latest events seen (ties keep the earliest seen), oldest first. */
class Latest {
  items: TimelineEvent[] = [];
  constructor(private readonly limit: number) {}
  add(e: TimelineEvent): void {
    if (this.limit <= 0) return;
    if (this.items.length >= this.limit && e.time < this.items[0]!.time) return;
    let i = this.items.length;
    while (i > 0 && this.items[i - 1]!.time > e.time) i--;
    this.items.splice(i, 0, e);
    if (this.items.length > this.limit) this.items.shift();
  }
}

async function summarizeTimeline(abs: string, file: string, kind: 'body' | 'csv', limit: number): Promise<TimelineSummary> {
  const s: TimelineSummary = { file, kind, entries: 0, events: 0, malformedLines: 0, latest: [], tail: [] };
  const latest = new Latest(limit);
  const rl = readline.createInterface({ input: createReadStream(abs, { encoding: 'utf8' }), crlfDelay: Infinity });
  let first = true;
  for await (const line of rl) {
    if (kind === 'csv') {
      if (first) {
        first = false;
        continue; // header
      }
      if (!line) continue;
      s.entries++;
      s.tail.push(line.length > 2000 ? line.slice(0, 2000) + '…' : line);
      if (s.tail.length > limit) s.tail.shift();
      continue;
    }
    if (!line) continue;
    const rec = parseBodyLine(line);
    if (!rec) {
      s.malformedLines++;
      continue;
    }
    s.entries++;
    for (const e of eventsOf(rec)) {
      s.events++;
      if (s.first === undefined || e.time < s.first) s.first = e.time;
      if (s.last === undefined || e.time > s.last) s.last = e.time;
      latest.add(e);
    }
  }
  s.latest = latest.items;
  return s;
}

function firstLine(abs: string): string {
  let fd: number | undefined;
  try {
    fd = openSync(abs, 'r');
    const buf = Buffer.alloc(256);
    const n = readSync(fd, buf, 0, buf.length, 0);
    return buf.toString('utf8', 0, n).split(/\r?\n/)[0] ?? '';
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export interface GatherOptions {
  timelineEntries: number;
  /** Absolute paths never gathered (the report files themselves). */
  exclude: string[];
}

class TooMany extends Error {}

export async function gatherCase(caseDir: string, opts: GatherOptions): Promise<CaseData> {
  const data: CaseData = { caseDir, custody: [], findings: [], timelines: [], otherJson: [], sessions: [], files: [], problems: [], journal: await gatherJournal(caseDir) };
  let seen = 0;
  const found: { abs: string; rel: string; size: number; name: string }[] = [];
  const base = Buffer.from(caseDir.replace(/\/+$/, '') || '/');
  try {
    // The evidence walker: names as bytes, symlinks listed not followed, what it cannot read reported.
    walkEvidence(caseDir, {
      maxDepth: MAX_DEPTH,
      crossFileSystems: true,
      onProblem: (p) => data.problems.push(`${p.path.slice(1) || '.'}: ${p.message}`),
      onEntry(e) {
        if (++seen > MAX_ENTRIES) throw new TooMany();
        const st = e.stat;
        if (st.isDirectory()) return;
        const rel = escapeName(e.rel);
        const size = Number(st.size);
        const abs = Buffer.concat([base, Buffer.from('/'), e.rel]);
        const absStr = utf8Exact(abs);
        if (absStr !== undefined && opts.exclude.includes(absStr)) return;
        if (!st.isFile()) {
          data.files.push({ file: rel, size, kind: st.isSymbolicLink() ? 'symlink (not followed)' : 'special file' });
          return;
        }
        // Only names that are valid UTF-8 can be re-opened through a string path; others are listed.
        found.push({ abs: absStr ?? '', rel, size, name: e.name.toString('utf8') });
      },
    });
  } catch (err) {
    if (!(err instanceof TooMany)) throw err;
    data.problems.push(`more than ${MAX_ENTRIES} entries in the case folder; the rest is not listed`);
  }

  for (const f of found) {
    const lower = f.name.toLowerCase();
    let kind = 'file';
    try {
      if (!f.abs) kind = 'file (name not valid UTF-8, not read)';
      else if (lower.endsWith('.custody.json') || lower.endsWith('.json')) {
        const isCustody = lower.endsWith('.custody.json');
        if (f.size > MAX_JSON_BYTES) {
          data.problems.push(`${f.rel}: JSON file larger than ${MAX_JSON_BYTES >> 20} MiB, not read`);
          kind = 'JSON (too large)';
        } else {
          let doc: unknown;
          try {
            doc = JSON.parse(readFileSync(f.abs, 'utf8'));
          } catch (err) {
            data.problems.push(`${f.rel}: not valid JSON (${(err as Error).message.split('\n')[0]})`);
            data.files.push({ file: f.rel, size: f.size, kind: 'JSON (invalid)' });
            continue;
          }
          if (isCustody) {
            data.custody.push(normalizeCustody(f.rel, doc));
            kind = 'custody log';
          } else {
            const fs = findingsOf(f.rel, doc);
            const sessions = sessionsOf(f.rel, doc);
            if (sessions) data.sessions.push(sessions);
            if (fs) {
              const room = MAX_FINDINGS - data.findings.length;
              data.findings.push(...fs.slice(0, Math.max(0, room)));
              kind = `findings (${fs.length})${sessions ? `, sessions (${sessions.total})` : ''}`;
            } else {
              data.otherJson.push({ file: f.rel, summary: describeJson(doc) });
              kind = 'JSON output';
            }
          }
        }
      } else if (lower.endsWith('.body')) {
        data.timelines.push(await summarizeTimeline(f.abs, f.rel, 'body', opts.timelineEntries));
        kind = 'body file (timeline)';
      } else if (lower.endsWith('.csv') && firstLine(f.abs) === CSV_HEADER) {
        data.timelines.push(await summarizeTimeline(f.abs, f.rel, 'csv', opts.timelineEntries));
        kind = 'timeline (CSV)';
      } else if (lower.endsWith('.custody.txt')) kind = 'custody log (text)';
    } catch (err) {
      data.problems.push(`${f.rel}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      kind = 'unreadable';
    }
    data.files.push({ file: f.rel, size: f.size, kind });
  }
  data.files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return data;
}
