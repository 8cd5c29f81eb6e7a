// SPDX-License-Identifier: GPL-3.0-or-later
// Gaps are findings: a journal whose sequence numbers have a hole, wtmp emptied or shorter than its
// rotation suggests or with zeroed records, logs that end while other logs go on recording logins,
// time going backwards, a lastlog login that no other log has. Each becomes one finding in the
// report's convention ({severity, title, detail, path, time}).
import type { SessionRow } from './sessions.js';

export interface GapFinding {
  severity: 'critical' | 'high' | 'medium' | 'low' | 'info';
  title: string;
  detail: string;
  path?: string;
  time?: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** Runs of consecutive journal sequence numbers, per sequence id. */
export class SeqnumRuns {
  private runs = new Map<string, { start: number; end: number; startMs: number; endMs: number; file: string }[]>();
  private static readonly MAX_RUNS = 100_000;
  overflow = false;

  add(seqnumId: string, seqnum: number, ms: number, file: string): void {
    if (!Number.isFinite(seqnum)) return;
    let list = this.runs.get(seqnumId);
    if (!list) this.runs.set(seqnumId, (list = []));
    const last = list[list.length - 1];
    if (last && last.file === file && seqnum === last.end + 1) {
      last.end = seqnum;
      last.endMs = ms;
      return;
    }
    if (list.length >= SeqnumRuns.MAX_RUNS) {
      this.overflow = true;
      return;
    }
    list.push({ start: seqnum, end: seqnum, startMs: ms, endMs: ms, file });
  }

  /**
   * Holes between the first and the last sequence number seen of each sequence id. journald numbers
   * the entries of all its files with one counter, but a user's file (user-1001.journal) has its own
   * sequence id: numbers missing from one id that another file of the same time has are no hole.
   */
  holes(): GapFinding[] {
    const out: GapFinding[] = [];
    const all = [...this.runs.entries()].flatMap(([id, list]) => list.map((r) => ({ ...r, id }))).sort((a, b) => a.start - b.start);
    const maxEnd: number[] = [];
    for (const [k, r] of all.entries()) maxEnd.push(Math.max(r.end, k ? maxEnd[k - 1]! : -Infinity));
    /** The parts of a..b that no other sequence has between fromMs and toMs (give or take a minute). */
    const uncovered = (id: string, a: number, b: number, fromMs: number, toMs: number): [number, number][] => {
      let lo = 0;
      let hi = all.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (all[mid]!.start <= b) lo = mid + 1;
        else hi = mid;
      }
      const cover: [number, number][] = [];
      for (let k = lo - 1; k >= 0 && maxEnd[k]! >= a && cover.length < 10_000; k--) {
        const r = all[k]!;
        if (r.id !== id && r.end >= a && r.endMs >= fromMs - 60_000 && r.startMs <= toMs + 60_000) cover.push([Math.max(a, r.start), Math.min(b, r.end)]);
      }
      cover.sort((x, y) => x[0] - y[0]);
      const gaps: [number, number][] = [];
      let next = a;
      for (const [s, e] of cover) {
        if (s > next) gaps.push([next, s - 1]);
        next = Math.max(next, e + 1);
      }
      if (next <= b) gaps.push([next, b]);
      return gaps;
    };
    for (const [id, list] of this.runs) {
      const sorted = [...list].sort((a, b) => a.start - b.start);
      let cur = sorted[0];
      for (const next of sorted.slice(1)) {
        if (!cur) break;
        if (next.start > cur.end + 1) {
          const where = cur.file === next.file ? `inside ${cur.file}` : `between ${cur.file} and ${next.file}`;
          for (const [a, b] of uncovered(id, cur.end + 1, next.start - 1, cur.endMs, next.startMs)) {
            const missing = b - a + 1;
            out.push({
              severity: 'high',
              title: `journal hole: ${missing} entr${missing === 1 ? 'y' : 'ies'} missing`,
              detail: `sequence numbers ${a}..${b} of sequence ${id.slice(0, 12)} are missing ${where}, between ${iso(cur.endMs)} and ${iso(next.startMs)} (a deleted journal file or removed entries)`,
              path: next.file,
              time: iso(cur.endMs),
            });
          }
        }
        if (next.end > cur.end) cur = next;
      }
    }
    return out;
  }
}

/** Time going backwards inside one source, beyond a small tolerance (syslog lines arrive slightly out of order). */
export class BackwardsClock {
  private max = -Infinity;
  private count = 0;
  private first?: { from: number; to: number };
  constructor(
    readonly source: string,
    private readonly toleranceMs = 120_000,
  ) {}

  see(ms: number): void {
    if (ms < this.max - this.toleranceMs) {
      this.count++;
      this.first ??= { from: this.max, to: ms };
    }
    if (ms > this.max) this.max = ms;
  }

  get last(): number | undefined {
    return Number.isFinite(this.max) ? this.max : undefined;
  }

  finding(): GapFinding | undefined {
    if (!this.count || !this.first) return undefined;
    return {
      severity: 'medium',
      title: `time goes backwards in ${this.source}`,
      detail: `${this.count} time(s) an entry is dated more than ${this.toleranceMs / 1000} s before an earlier one; first from ${iso(this.first.from)} back to ${iso(this.first.to)} (clock set back, or entries inserted)`,
      path: this.source,
      time: iso(this.first.to),
    };
  }
}

export interface WtmpFileFacts {
  path: string;
  generation: number;
  records: number;
  trailing: number;
  zeroed: number;
  firstMs?: number;
  lastMs?: number;
}

export function wtmpFindings(files: WtmpFileFacts[]): GapFinding[] {
  const out: GapFinding[] = [];
  for (const f of files) {
    if (f.trailing) {
      out.push({
        severity: 'medium',
        title: `${f.path} is cut in the middle of a record`,
        detail: `${f.trailing} bytes after the last whole 384-byte record (truncated, or not a 64-bit glibc utmp file)`,
        path: f.path,
      });
    }
    if (f.zeroed) {
      out.push({
        severity: 'high',
        title: `${f.path} has ${f.zeroed} zeroed record(s)`,
        detail: 'records overwritten with zeros between real ones: what log cleaners (zap, wipe) leave behind',
        path: f.path,
      });
    }
  }
  const byBase = new Map<string, WtmpFileFacts[]>();
  for (const f of files) {
    const base = f.path.replace(/[.-]\d+(\.gz)?$|\.gz$/, '');
    byBase.set(base, [...(byBase.get(base) ?? []), f]);
  }
  for (const [base, list] of byBase) {
    const current = list.find((f) => f.generation === 0 && f.path === base);
    const rotated = list.filter((f) => f.generation > 0 && f.records > 0).sort((a, b) => a.generation - b.generation)[0];
    if (!rotated) continue;
    if (!current || current.records === 0) {
      out.push({
        severity: 'high',
        title: `${base} is ${current ? 'empty' : 'missing'} although ${rotated.path} has ${rotated.records} records`,
        detail: `the rotated file's last record is at ${rotated.lastMs !== undefined ? iso(rotated.lastMs) : '?'}; a rotated-away history with nothing after it means the current file was emptied or removed`,
        path: base,
        time: rotated.lastMs !== undefined ? iso(rotated.lastMs) : undefined,
      });
    } else if (current.firstMs !== undefined && rotated.lastMs !== undefined && current.firstMs < rotated.lastMs - 120_000) {
      out.push({
        severity: 'medium',
        title: `${base} starts before ${rotated.path} ends`,
        detail: `first record ${iso(current.firstMs)}, the rotated file's last ${iso(rotated.lastMs)}: the clock went back or records were rewritten`,
        path: base,
        time: iso(current.firstMs),
      });
    }
  }
  return out;
}

/**
 * A log family (auth.log, journal, wtmp) that ends while other logs still record logins or
 * privilege changes more than `slackMs` later ended abruptly (stopped, deleted, or rotated away).
 */
export function abruptEnds(lastByFamily: Map<string, number>, rows: SessionRow[], slackMs = 30 * 60_000): GapFinding[] {
  const out: GapFinding[] = [];
  for (const [family, last] of lastByFamily) {
    const later = rows.filter((r) => r.kind !== 'boot' && r.start > last + slackMs && !r.sources.some((s) => familyOf(s) === family));
    if (!later.length) continue;
    const newest = Math.max(...later.map((r) => r.start));
    out.push({
      severity: 'high',
      title: `${family} ends abruptly at ${iso(last)}`,
      detail: `${later.length} login(s)/privilege change(s) recorded by other logs after that, the last at ${iso(newest)}; ${family} should have them too`,
      path: family,
      time: iso(last),
    });
  }
  return out;
}

/** The family of a source path: /var/log/auth.log.2.gz -> /var/log/auth.log, journal files -> /var/log/journal. */
export function familyOf(source: string): string {
  if (source.startsWith('/var/log/journal/')) return '/var/log/journal';
  return source.replace(/[.-]\d+(\.gz)?$|\.gz$/, '');
}

/** lastlog says USER logged in at T, and no other log has a login of USER near T although they cover T. */
export function lastlogFindings(entries: { user: string; ms: number; line: string; host: string }[], rows: SessionRow[], coveredFrom: number | undefined): GapFinding[] {
  const out: GapFinding[] = [];
  if (coveredFrom === undefined) return out;
  for (const e of entries) {
    if (e.ms < coveredFrom) continue;
    const seen = rows.some((r) => r.user === e.user && r.result === 'success' && (r.kind === 'login' || r.kind === 'ssh') && Math.abs(r.start - e.ms) <= 120_000);
    if (seen) continue;
    out.push({
      severity: 'high',
      title: `lastlog has a login of ${e.user} that no other log has`,
      detail: `lastlog: ${iso(e.ms)} on ${e.line || '?'} from ${e.host || '(local)'}; wtmp/auth.log/journal cover that time but show no such login (entries removed?)`,
      path: '/var/log/lastlog',
      time: iso(e.ms),
    });
  }
  return out;
}
