// SPDX-License-Identifier: GPL-3.0-or-later
// Which log files an evidence root has, and their bytes: var/log/{wtmp,btmp,lastlog,auth.log,
// secure}* (plain or gzip-rotated) and var/log/journal/**/*.journal[~]. Folders are listed by the
// evidence walker (names as bytes, links never followed, nothing outside ROOT); a log name that is
// not a regular file is a finding ("log replaced"). Files are read with O_NOFOLLOW, at most
// MAX_FILE_BYTES each (also after decompression, so a gzip bomb stops there), and anything cut
// short is reported.
import type { BigIntStats } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { escapeName } from '../evidence/escape.js';
import { readHead, type RootResolver } from '../evidence/root-path.js';
import { isDir, isLink, shownPath, utf8Exact, walkEvidence, type WalkEntry, type WalkProblem } from '../evidence/walk.js';
import type { GapFinding } from './gaps.js';

export const MAX_FILE_BYTES = 256 << 20;
const MAX_JOURNAL_FILES = 10_000;

export type LogKind = 'wtmp' | 'btmp' | 'lastlog' | 'syslog' | 'journal';

export interface LogFile {
  kind: LogKind;
  /** Path inside the evidence, "/var/log/auth.log.2.gz". */
  path: string;
  /** Host path to read. */
  abs: string;
  size: number;
  mtimeMs: number;
  /** Rotation generation: 0 for the live file, N for NAME.N[.gz]: higher is older. */
  generation: number;
  gzip: boolean;
}

const ROTATED = /^(wtmp|btmp|auth\.log|secure)(?:[.-](\d{1,8}))?(\.gz)?$/;

/** Classify a file name in /var/log; undefined when it is not one we read. */
export function classify(name: string): { kind: LogKind; generation: number; gzip: boolean } | undefined {
  if (name === 'lastlog') return { kind: 'lastlog', generation: 0, gzip: false };
  const m = ROTATED.exec(name);
  if (!m) return undefined;
  const kind: LogKind = m[1] === 'wtmp' ? 'wtmp' : m[1] === 'btmp' ? 'btmp' : 'syslog';
  // "secure-20240501" (dateext) sorts by its date: older dates are higher generations below.
  return { kind, generation: m[2] ? Number(m[2]) : 0, gzip: Boolean(m[3]) };
}

/** What stands where a log should be, when it is not a regular file. */
function kindOf(st: BigIntStats): string {
  if (isLink(st)) return 'symlink';
  if (isDir(st)) return 'directory';
  const type = Number(st.mode) & 0o170000;
  return type === 0o010000 ? 'FIFO' : type === 0o020000 ? 'character device' : type === 0o060000 ? 'block device' : type === 0o140000 ? 'socket' : `file of type 0${type.toString(8)}`;
}

/**
 * A log name that is not a regular file: an intruder's way to keep a log empty (wtmp -> /dev/null,
 * a FIFO nobody reads, a folder). Reported, never followed or opened (a FIFO would hang the read,
 * a link could lead out of ROOT).
 */
function replacedLog(e: WalkEntry): GapFinding {
  const kind = kindOf(e.stat);
  const path = shownPath(e.rel);
  const detail = e.linkTarget ? `symlink to ${escapeName(e.linkTarget)} (not followed)` : `${kind} where a log file should be (not opened)`;
  return { severity: 'high', title: `log replaced: ${path} is a ${kind}`, detail, path };
}

export function findLogFiles(r: RootResolver): { files: LogFile[]; problems: string[]; replaced: GapFinding[] } {
  const files: LogFile[] = [];
  const problems: string[] = [];
  const replaced: GapFinding[] = [];
  const logDir = r.resolveDir('/var/log');
  if (logDir === undefined) return { files, problems: ['/var/log: not found in the evidence'], replaced };
  const onProblem = (p: WalkProblem) => problems.push(`${p.path}: ${p.message}`);
  walkEvidence(r.root, {
    start: logDir,
    enter: () => false,
    readLinks: true,
    onProblem,
    onEntry(e) {
      const name = utf8Exact(e.name);
      const c = name === undefined ? undefined : classify(name);
      if (!c) return;
      if (!e.stat.isFile()) return void replaced.push(replacedLog(e));
      files.push({ ...c, path: `/var/log/${name}`, abs: r.abs(`${logDir}/${name}`), size: Number(e.stat.size), mtimeMs: Number(e.stat.mtimeMs) });
    },
  });
  const journalDir = r.resolveDir('/var/log/journal');
  if (journalDir !== undefined) {
    let journals = 0;
    walkEvidence(r.root, {
      start: journalDir,
      maxDepth: 4,
      readLinks: true,
      onProblem,
      onEntry(e) {
        if (!/\.journal~?$/.test(e.name.toString('latin1'))) return;
        if (!e.stat.isFile()) return void replaced.push(replacedLog(e));
        const rel = utf8Exact(e.rel);
        // journalctl takes the path as text: a name that is not UTF-8 cannot be handed to it.
        if (rel === undefined) return void problems.push(`${shownPath(e.rel)}: journal file whose name is not valid UTF-8: not read`);
        if (++journals > MAX_JOURNAL_FILES) {
          if (journals === MAX_JOURNAL_FILES + 1) problems.push(`/var/log/journal: more than ${MAX_JOURNAL_FILES} journal files, the rest skipped`);
          return;
        }
        const path = '/var/log/journal' + rel.slice(journalDir.length);
        files.push({ kind: 'journal', path, abs: r.abs(rel), size: Number(e.stat.size), mtimeMs: Number(e.stat.mtimeMs), generation: 0, gzip: false });
      },
    });
  }
  // Oldest first within each kind: dated names ("secure-20240501") use the number as a date.
  files.sort((a, b) => a.kind.localeCompare(b.kind) || b.generation - a.generation || a.path.localeCompare(b.path));
  return { files, problems, replaced };
}

/**
 * The file's content (decompressed), at most `max` bytes; `truncated` when there was more. A gzip
 * file that ends early or is corrupt gives what decompressed before the damage, with `damaged`.
 */
export async function readLogBytes(f: LogFile, max = MAX_FILE_BYTES): Promise<{ data: Buffer; truncated: boolean; damaged?: string }> {
  const raw = readHead(f.abs, Math.min(f.size, max));
  if (!f.gzip) return { data: raw, truncated: f.size > max };
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let got = 0;
    let truncated = f.size > max;
    let done = false;
    const finish = (damaged?: string) => {
      if (done) return;
      done = true;
      resolve({ data: Buffer.concat(parts), truncated, damaged });
    };
    const z = createGunzip();
    z.on('data', (d: Buffer) => {
      if (got + d.length > max) {
        parts.push(d.subarray(0, max - got));
        got = max;
        truncated = true;
        z.destroy();
        finish();
        return;
      }
      parts.push(d);
      got += d.length;
    });
    z.on('error', (err) => finish(err.message.split('\n')[0]));
    z.on('end', () => finish());
    z.end(raw);
  });
}
