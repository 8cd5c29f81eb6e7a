// SPDX-License-Identifier: GPL-3.0-or-later
// One table of sessions and privilege changes from everything the logs say: sshd/sudo/su/PAM
// messages (auth.log and the journal, the same message counted once), wtmp logins and boots
// (paired like `last`: a login ends at the DEAD_PROCESS of its line, or at the next boot/shutdown)
// and btmp failures. A wtmp login that is the same ssh login sshd logged is merged into one row.
import type { AuthEvent } from './auth-events.js';
import { UT, type UtmpRecord } from './utmp.js';

export interface SessionRow {
  kind: 'ssh' | 'login' | 'sudo' | 'su' | 'boot';
  user: string;
  /** sudo/su: the account gained. */
  target?: string;
  from?: string;
  method?: string;
  /** "ED25519 SHA256:..." when sshd logged the key. */
  key?: string;
  tty?: string;
  start: number; // Unix ms
  end?: number;
  /** How it ended: logout, crash (boot without shutdown), down (shutdown), or still open at the end of the log. */
  endHow?: 'logout' | 'crash' | 'down' | 'open';
  result: 'success' | 'failure';
  detail?: string;
  /** sshd's process id (its log lines, and its btmp records, carry it). */
  pid?: number;
  sources: string[];
}

export interface TimedAuthEvent {
  ms: number;
  program: string;
  pid?: number;
  /** The files that carry this message (auth.log and the journal often both do). */
  sources: string[];
  event: AuthEvent;
}

function addSource(row: SessionRow, source: string): void {
  if (!row.sources.includes(source)) row.sources.push(source);
}

/** Rows from sshd/sudo/su/PAM events, given in time order and already de-duplicated. */
export function rowsFromAuth(events: TimedAuthEvent[]): SessionRow[] {
  const rows: SessionRow[] = [];
  const openByPid = new Map<string, SessionRow>(); // "service:pid" -> open session
  const invalidByPid = new Map<number, SessionRow>();
  const failedSuAt = new Map<string, number>();
  const failedSuRow = new Map<string, SessionRow>(); // "user>target" -> pam_unix's failure row
  const suTo = new Map<number, { user: string; target: string; tty?: string }>(); // su's pid -> "(to X) Y on TTY"
  for (const t of events) {
    const e = t.event;
    const base = { start: t.ms, sources: [...t.sources] };
    switch (e.kind) {
      case 'ssh-accepted': {
        const row: SessionRow = { kind: 'ssh', user: e.user, from: e.addr, method: e.method, key: e.key, result: 'success', endHow: 'open', ...base };
        rows.push(row);
        if (t.pid !== undefined) openByPid.set(`sshd:${t.pid}`, row);
        break;
      }
      case 'ssh-invalid-user': {
        const row: SessionRow = { kind: 'ssh', user: e.user, from: e.addr, result: 'failure', detail: 'invalid user', pid: t.pid, ...base };
        rows.push(row);
        if (t.pid !== undefined) invalidByPid.set(t.pid, row);
        break;
      }
      case 'ssh-failed': {
        const earlier = t.pid !== undefined ? invalidByPid.get(t.pid) : undefined;
        if (earlier && e.invalidUser && !earlier.method) {
          earlier.method = e.method;
          for (const src of t.sources) addSource(earlier, src);
          break;
        }
        rows.push({ kind: 'ssh', user: e.user, from: e.addr, method: e.method, result: 'failure', detail: e.invalidUser ? 'invalid user' : undefined, pid: t.pid, ...base });
        break;
      }
      case 'session-opened': {
        if (e.service === 'su' || e.service === 'su-l') {
          // "by (uid=1001)" without a name: su's own "(to bob) alice on pts/1" line names alice.
          const to = t.pid !== undefined ? suTo.get(t.pid) : undefined;
          if (t.pid !== undefined) suTo.delete(t.pid);
          const by = e.by ?? (to && to.target === e.user ? to.user : e.byUid !== undefined ? `uid ${e.byUid}` : '');
          const row: SessionRow = { kind: 'su', user: by, target: e.user, tty: to?.tty, result: 'success', endHow: 'open', ...base };
          rows.push(row);
          openByPid.set(t.pid !== undefined ? `su:${t.pid}` : `su:user:${e.user}`, row);
        } else if (e.service === 'login') {
          const row: SessionRow = { kind: 'login', user: e.user, result: 'success', endHow: 'open', ...base };
          rows.push(row);
          openByPid.set(t.pid !== undefined ? `login:${t.pid}` : `login:user:${e.user}`, row);
        }
        break;
      }
      case 'session-closed': {
        const service = e.service === 'su-l' ? 'su' : e.service;
        // Without a pid (su logs none on some systems) the latest open session of that user closes.
        const row = openByPid.get(t.pid !== undefined ? `${service}:${t.pid}` : `${service}:user:${e.user}`);
        if (row && row.end === undefined) {
          row.end = t.ms;
          row.endHow = 'logout';
          for (const src of t.sources) addSource(row, src);
        }
        break;
      }
      case 'sudo-command':
        rows.push({ kind: 'sudo', user: e.user, target: e.runAs, tty: e.tty, result: 'success', detail: e.command, ...base });
        break;
      case 'sudo-failed':
        rows.push({ kind: 'sudo', user: e.user, target: e.runAs, result: 'failure', detail: e.command ? `${e.reason}; ${e.command}` : e.reason, ...base });
        break;
      case 'su-to':
        if (t.pid !== undefined) suTo.set(t.pid, { user: e.user, target: e.target, tty: e.tty });
        break;
      case 'su-failed': {
        // util-linux su logs pam_unix's "authentication failure" first, then "FAILED SU": one attempt.
        const key = `${e.user}>${e.target}`;
        const earlier = failedSuRow.get(key);
        if (earlier && Math.abs(earlier.start - t.ms) < 5000 && earlier.tty === undefined) {
          earlier.tty = e.tty;
          for (const src of t.sources) addSource(earlier, src);
          break;
        }
        failedSuAt.set(key, t.ms);
        rows.push({ kind: 'su', user: e.user, target: e.target, tty: e.tty, result: 'failure', ...base });
        break;
      }
      case 'auth-failure': {
        if (e.service === 'su' || e.service === 'su-l') {
          // pam_unix's line and su's "FAILED SU" describe the same attempt: keep one.
          const key = `${e.user ?? ''}>${e.target ?? ''}`;
          const seen = failedSuAt.get(key);
          if (seen !== undefined && Math.abs(seen - t.ms) < 5000) break;
          const row: SessionRow = { kind: 'su', user: e.user ?? '', target: e.target, result: 'failure', detail: 'authentication failure', ...base };
          rows.push(row);
          failedSuRow.set(key, row);
        } else if (e.service === 'login') {
          rows.push({ kind: 'login', user: e.target ?? '', from: e.rhost, result: 'failure', detail: 'authentication failure', ...base });
        }
        break;
      }
    }
  }
  return rows;
}

const bufText = (b: Buffer) => b.toString('utf8');

/** Logins and boots from wtmp records (files oldest first), paired like `last`. */
export function rowsFromWtmp(files: { source: string; records: UtmpRecord[] }[]): SessionRow[] {
  const rows: SessionRow[] = [];
  const open = new Map<string, SessionRow>(); // tty line -> login
  let boot: SessionRow | undefined;
  const closeAll = (ms: number, how: 'crash' | 'down') => {
    for (const row of open.values()) {
      row.end = ms;
      row.endHow = how;
    }
    open.clear();
  };
  for (const { source, records } of files) {
    for (const r of records) {
      const ms = r.sec * 1000 + Math.floor(Math.max(0, Math.min(r.usec, 999_999)) / 1000);
      const line = bufText(r.line);
      if (r.type === UT.USER_PROCESS) {
        const row: SessionRow = { kind: 'login', user: bufText(r.user), tty: line, from: bufText(r.host) || r.addr || undefined, start: ms, result: 'success', endHow: 'open', sources: [source] };
        const prev = open.get(line);
        if (prev) {
          prev.end = ms;
          prev.endHow = 'logout';
        }
        open.set(line, row);
        rows.push(row);
      } else if (r.type === UT.DEAD_PROCESS) {
        const row = open.get(line);
        if (row) {
          row.end = ms;
          row.endHow = 'logout';
          addSource(row, source);
          open.delete(line);
        }
      } else if (r.type === UT.BOOT_TIME) {
        closeAll(ms, 'crash');
        if (boot && boot.end === undefined) {
          boot.end = ms;
          boot.endHow = 'crash';
        }
        boot = { kind: 'boot', user: 'reboot', tty: 'system boot', detail: bufText(r.host) ? `kernel ${bufText(r.host)}` : undefined, start: ms, result: 'success', endHow: 'open', sources: [source] };
        rows.push(boot);
      } else if (r.type === UT.RUN_LVL && bufText(r.user) === 'shutdown') {
        closeAll(ms, 'down');
        if (boot && boot.end === undefined) {
          boot.end = ms;
          boot.endHow = 'down';
        }
      }
    }
  }
  return rows;
}

/** Failed logins from btmp records. */
export function rowsFromBtmp(files: { source: string; records: UtmpRecord[] }[]): SessionRow[] {
  const rows: SessionRow[] = [];
  for (const { source, records } of files) {
    for (const r of records) {
      if (r.type !== UT.LOGIN_PROCESS && r.type !== UT.USER_PROCESS) continue;
      const tty = bufText(r.line);
      rows.push({
        kind: tty.startsWith('ssh') ? 'ssh' : 'login',
        user: bufText(r.user),
        tty,
        from: bufText(r.host) || r.addr || undefined,
        start: r.sec * 1000,
        result: 'failure',
        pid: r.pid,
        sources: [source],
      });
    }
  }
  return rows;
}

/** Both pids known and equal, or one unknown. sshd writes two btmp records for an invalid user (one per log line). */
const samePid = (a: SessionRow, b: SessionRow) => a.pid === undefined || b.pid === undefined || a.pid === b.pid;

/**
 * One row per event: a wtmp login that sshd or login(1) logged (same user and address, within 10 s)
 * and a btmp failure that sshd or su logged (within 5 s) are merged into that row.
 */
export function mergeRows(auth: SessionRow[], wtmp: SessionRow[], btmp: SessionRow[]): SessionRow[] {
  const out = [...auth];
  const sshOk = auth.filter((r) => (r.kind === 'ssh' || r.kind === 'login') && r.result === 'success');
  const sshBad = auth.filter((r) => r.kind === 'ssh' && r.result === 'failure');
  const used = new Set<SessionRow>();
  for (const w of wtmp) {
    const match = w.kind === 'login' ? sshOk.find((a) => !used.has(a) && a.user === w.user && (a.from ?? '') === (w.from ?? '') && Math.abs(a.start - w.start) <= 10_000) : undefined;
    if (!match) {
      out.push(w);
      continue;
    }
    used.add(match);
    match.tty = w.tty;
    // wtmp's logout (what `last` shows) wins over PAM's "session closed", written just after it.
    if (match.end === undefined || match.endHow === 'open' || w.endHow === 'logout') {
      match.end = w.end;
      match.endHow = w.endHow;
    }
    for (const s of w.sources) addSource(match, s);
  }
  const suBad = auth.filter((r) => r.kind === 'su' && r.result === 'failure');
  const usedBad = new Set<SessionRow>();
  for (const b of btmp) {
    // sshd's record names the account tried; su's (util-linux) names the account su wanted, on su's tty.
    const match =
      b.kind === 'ssh'
        ? sshBad.find((a) => a.user === b.user && a.from === b.from && Math.abs(a.start - b.start) <= 5_000 && samePid(a, b) && (!usedBad.has(a) || a.pid !== undefined))
        : suBad.find((a) => !usedBad.has(a) && a.target === b.user && !b.from && (a.tty === undefined || a.tty === b.tty) && Math.abs(a.start - b.start) <= 5_000);
    if (!match) {
      out.push(b);
      continue;
    }
    usedBad.add(match);
    match.tty ??= b.tty;
    for (const s of b.sources) addSource(match, s);
  }
  return out.sort((a, b) => a.start - b.start);
}
