// SPDX-License-Identifier: GPL-3.0-or-later
// Read every login-related log of an evidence root once: wtmp/btmp/lastlog (own parser),
// auth.log/secure (plain and gzip), the journal (the live system's journalctl). Every entry goes to
// the timeline sink as it is read; login events are kept (they are few) to build the sessions
// table; per-source facts feed the gap findings. Nothing from the evidence is executed.
import { closeSync, readSync } from 'node:fs';
import { openNoFollow, readEvidenceText, type RootResolver } from '../evidence/root-path.js';
import { parsePasswd } from '../sweep/accounts.js';
import { parseAuthMessage } from './auth-events.js';
import { abruptEnds, BackwardsClock, familyOf, lastlogFindings, SeqnumRuns, wtmpFindings, type GapFinding, type WtmpFileFacts } from './gaps.js';
import { readJournalFile } from './journal.js';
import { mergeRows, rowsFromAuth, rowsFromBtmp, rowsFromWtmp, type SessionRow, type TimedAuthEvent } from './sessions.js';
import { findLogFiles, readLogBytes, type LogFile } from './sources.js';
import { parseSyslog } from './syslog.js';
import { LASTLOG_SIZE, parseLastlogRecord, parseUtmp, UT, type UtmpRecord } from './utmp.js';

/**
 * Receives each log entry: its time (Unix ms), the file it came from, its text (raw) and where it
 * is in that file (line, journal sequence number, record number): two identical messages in one
 * second stay two entries (mactime collapses identical body lines).
 */
export type TimelineSink = (ms: number, source: string, text: string, position: number) => void;

export interface LastlogEntry {
  uid: number;
  user: string;
  ms: number;
  line: string;
  host: string;
}

export interface LoginsResult {
  sessions: SessionRow[];
  findings: GapFinding[];
  lastlog: LastlogEntry[];
  sources: { path: string; kind: string; entries: number; first?: string; last?: string; note?: string }[];
  problems: string[];
}

const MAX_LASTLOG_UIDS = 65_536;
/** How far apart (seconds) the journal's and auth.log's copies of one message may be stamped. */
const DEDUP_SECONDS = 2;
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const UT_NAMES: Record<number, string> = { 1: 'RUN_LVL', 2: 'BOOT_TIME', 3: 'NEW_TIME', 4: 'OLD_TIME', 5: 'INIT_PROCESS', 6: 'LOGIN_PROCESS', 7: 'USER_PROCESS', 8: 'DEAD_PROCESS', 9: 'ACCOUNTING' };

function utmpText(r: UtmpRecord): string {
  const parts = [UT_NAMES[r.type] ?? `type ${r.type}`, r.user.toString('utf8'), r.line.toString('utf8')].filter(Boolean);
  const host = r.host.toString('utf8');
  if (host) parts.push(`from ${host}`);
  if (r.addr && r.addr !== host) parts.push(`addr ${r.addr}`);
  parts.push(`pid ${r.pid}`);
  return parts.join(' ');
}

function isZeroed(r: UtmpRecord): boolean {
  return r.type === UT.EMPTY && r.sec === 0 && r.pid === 0 && !r.user.length && !r.line.length && !r.host.length;
}

export async function collectLogins(r: RootResolver, zone: string, sink: TimelineSink): Promise<LoginsResult> {
  const { files, problems, replaced } = findLogFiles(r);
  const sources: LoginsResult['sources'] = [];
  const findings: GapFinding[] = [...replaced];
  const authEvents: TimedAuthEvent[] = [];
  const seenAuth = new Map<string, TimedAuthEvent>();
  const lastByFamily = new Map<string, number>();
  const clocks: BackwardsClock[] = [];
  const noteLast = (source: string, ms: number) => {
    const fam = familyOf(source);
    lastByFamily.set(fam, Math.max(lastByFamily.get(fam) ?? -Infinity, ms));
  };
  const auth = (ms: number, program: string, pid: number | undefined, message: string, source: string) => {
    const event = parseAuthMessage(program, message);
    if (!event) return;
    // auth.log and the journal often carry the same message: count it once, keep both sources.
    // rsyslog stamps a line when it receives it from journald, so the two times can fall on either
    // side of a second: look in the neighbouring seconds too (a few map lookups, no scan). sudo's
    // auth.log line has no pid (the journal has _PID) and one space less before the user.
    const same = `${program}|${message.trim()}`;
    const sec = Math.floor(ms / 1000);
    for (let d = -DEDUP_SECONDS; d <= DEDUP_SECONDS; d++) {
      const seen = seenAuth.get(`${sec + d}|${same}`);
      const pidAgrees = seen?.pid === pid || seen?.pid === undefined || pid === undefined;
      if (seen && pidAgrees && !seen.sources.includes(source) && Math.abs(seen.ms - ms) <= DEDUP_SECONDS * 1000) {
        seen.sources.push(source);
        return;
      }
    }
    const timed: TimedAuthEvent = { ms, program, pid, sources: [source], event };
    seenAuth.set(`${sec}|${same}`, timed);
    authEvents.push(timed);
  };

  const utmpFiles: Record<'wtmp' | 'btmp', { source: string; records: UtmpRecord[] }[]> = { wtmp: [], btmp: [] };
  const wtmpFacts: WtmpFileFacts[] = [];
  const seqRuns = new SeqnumRuns();

  for (const f of files) {
    try {
      if (f.kind === 'wtmp' || f.kind === 'btmp') readUtmpFile(f, await readLogBytes(f));
      else if (f.kind === 'syslog') readSyslogFile(f, await readLogBytes(f));
      else if (f.kind === 'journal') await readJournal(f);
    } catch (err) {
      problems.push(`${f.path}: ${(err as Error).message}`);
    }
  }

  function readUtmpFile(f: LogFile, { data, truncated, damaged }: { data: Buffer; truncated: boolean; damaged?: string }) {
    const { records, trailing } = parseUtmp(data);
    const clock = new BackwardsClock(f.path);
    let zeroed = 0;
    const real = records.filter((rec) => {
      if (isZeroed(rec)) {
        zeroed++;
        return false;
      }
      return true;
    });
    for (const rec of real) {
      const ms = rec.sec * 1000;
      clock.see(ms);
      sink(ms, f.path, utmpText(rec), rec.index + 1);
      if (f.kind === 'wtmp') noteLast(f.path, ms);
    }
    if (f.kind === 'wtmp') clocks.push(clock);
    utmpFiles[f.kind as 'wtmp' | 'btmp'].push({ source: f.path, records: real });
    const times = real.map((x) => x.sec * 1000);
    if (f.kind === 'wtmp') {
      wtmpFacts.push({ path: f.path, generation: f.generation, records: real.length, trailing, zeroed, firstMs: times[0], lastMs: times[times.length - 1] });
    }
    sources.push({
      path: f.path,
      kind: f.kind,
      entries: real.length,
      first: times.length ? iso(Math.min(...times)) : undefined,
      last: times.length ? iso(Math.max(...times)) : undefined,
      note: truncated ? 'read only in part (too large)' : damaged ? `damaged: ${damaged}` : undefined,
    });
  }

  function readSyslogFile(f: LogFile, { data, truncated, damaged }: { data: Buffer; truncated: boolean; damaged?: string }) {
    const { lines, unparsed } = parseSyslog(data.toString('utf8'), f.mtimeMs, zone);
    const clock = new BackwardsClock(f.path);
    for (const l of lines) {
      clock.see(l.ms);
      noteLast(f.path, l.ms);
      sink(l.ms, f.path, `${l.host} ${l.program}${l.pid !== undefined ? `[${l.pid}]` : ''}: ${l.message}`, l.lineNo);
      auth(l.ms, l.program, l.pid, l.message, f.path);
    }
    clocks.push(clock);
    const notes = [truncated ? 'read only in part (too large)' : '', damaged ? `damaged: ${damaged}` : '', unparsed ? `${unparsed} line(s) not in syslog form` : ''].filter(Boolean);
    sources.push({
      path: f.path,
      kind: 'syslog',
      entries: lines.length,
      first: lines.length ? iso(lines[0]!.ms) : undefined,
      last: lines.length ? iso(lines[lines.length - 1]!.ms) : undefined,
      note: notes.join('; ') || undefined,
    });
  }

  async function readJournal(f: LogFile) {
    const clock = new BackwardsClock(f.path);
    let first: number | undefined;
    let last: number | undefined;
    const res = await readJournalFile(f.abs, (e) => {
      clock.see(e.ms);
      first = first === undefined ? e.ms : Math.min(first, e.ms);
      last = last === undefined ? e.ms : Math.max(last, e.ms);
      noteLast(f.path, e.ms);
      seqRuns.add(e.seqnumId, e.seqnum, e.ms, f.path);
      sink(e.ms, f.path, `${e.program}${e.pid !== undefined ? `[${e.pid}]` : ''}: ${e.message}`, Number.isFinite(e.seqnum) ? e.seqnum : 0);
      auth(e.ms, e.program, e.pid, e.message, f.path);
    });
    clocks.push(clock);
    if (res.error && !res.entries) findings.push({ severity: 'medium', title: `journal file not readable: ${f.path}`, detail: `journalctl: ${res.error}`, path: f.path });
    sources.push({
      path: f.path,
      kind: 'journal',
      entries: res.entries,
      first: first !== undefined ? iso(first) : undefined,
      last: last !== undefined ? iso(last) : undefined,
      note: res.truncated ? `only the first ${res.entries} entries read` : res.error ? `journalctl: ${res.error}` : undefined,
    });
  }

  const lastlog = readLastlog(
    r,
    files.find((f) => f.kind === 'lastlog'),
    problems,
  );
  for (const e of lastlog) sink(e.ms, '/var/log/lastlog', `last login of ${e.user} (uid ${e.uid}) on ${e.line || '?'}${e.host ? ` from ${e.host}` : ''}`, e.uid);

  authEvents.sort((a, b) => a.ms - b.ms);
  const sessions = mergeRows(rowsFromAuth(authEvents), rowsFromWtmp(utmpFiles.wtmp), rowsFromBtmp(utmpFiles.btmp));

  findings.push(...seqRuns.holes());
  if (seqRuns.overflow) problems.push('journal: too many sequence-number runs to track; hole detection incomplete');
  findings.push(...wtmpFindings(wtmpFacts));
  for (const c of clocks) {
    const f = c.finding();
    if (f) findings.push(f);
  }
  findings.push(...abruptEnds(lastByFamily, sessions));
  const wtmpFirst = wtmpFacts.map((w) => w.firstMs).filter((x): x is number => x !== undefined);
  findings.push(...lastlogFindings(lastlog, sessions, wtmpFirst.length ? Math.min(...wtmpFirst) : undefined));
  return { sessions, findings, lastlog, sources, problems };
}

function readLastlog(r: RootResolver, f: LogFile | undefined, problems: string[]): LastlogEntry[] {
  if (!f) return [];
  const passwd = parsePasswd(readEvidenceText(r, '/etc/passwd', 16 << 20) ?? '');
  const names = new Map<number, string>();
  for (const p of passwd) if (Number.isInteger(p.uid) && !names.has(p.uid)) names.set(p.uid, p.name);
  // lastlog is sparse and indexed by uid (a uid near 2^32 makes it look terabytes big): read only
  // the slots of accounts in the evidence's passwd, plus the first slots, never the whole file.
  const uids = new Set<number>([...names.keys()].filter((u) => u * LASTLOG_SIZE < f.size));
  for (let u = 0; u < Math.min(1024, Math.floor(f.size / LASTLOG_SIZE)); u++) uids.add(u);
  const out: LastlogEntry[] = [];
  let fd: number;
  try {
    fd = openNoFollow(f.abs);
  } catch (err) {
    problems.push(`${f.path}: ${(err as Error).message}`);
    return out;
  }
  try {
    const buf = Buffer.alloc(LASTLOG_SIZE);
    for (const uid of [...uids].sort((a, b) => a - b).slice(0, MAX_LASTLOG_UIDS)) {
      const n = readSync(fd, buf, 0, LASTLOG_SIZE, uid * LASTLOG_SIZE);
      const rec = n === LASTLOG_SIZE ? parseLastlogRecord(buf, 0, uid) : undefined;
      if (rec) out.push({ uid, user: names.get(uid) ?? `uid ${uid}`, ms: rec.sec * 1000, line: rec.line.toString('utf8'), host: rec.host.toString('utf8') });
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
