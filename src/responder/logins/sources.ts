// SPDX-License-Identifier: GPL-3.0-or-later
// Which log files an evidence root has, and their bytes: var/log/{wtmp,btmp,lastlog,auth.log,
// secure}* (plain or gzip-rotated) and var/log/journal/**/*.journal[~]. Paths are resolved inside
// ROOT only (root-path.ts); files are read with O_NOFOLLOW, at most MAX_FILE_BYTES each (also after
// decompression, so a gzip bomb stops there), and anything cut short is reported.
import { readdirSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { readHead, type RootResolver } from '../evidence/root-path.js';

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

export function findLogFiles(r: RootResolver): { files: LogFile[]; problems: string[] } {
  const files: LogFile[] = [];
  const problems: string[] = [];
  const logDir = r.resolveDir('/var/log');
  if (logDir === undefined) return { files, problems: ['/var/log: not found in the evidence'] };
  let names: string[] = [];
  try {
    names = readdirSync(r.abs(logDir));
  } catch (err) {
    problems.push(`/var/log: ${(err as Error).message}`);
  }
  for (const name of names) {
    const c = classify(name);
    if (!c) continue;
    const rel = `${logDir}/${name}`;
    const st = r.lstat(rel);
    if (!st?.isFile()) continue;
    files.push({ ...c, path: `/var/log/${name}`, abs: r.abs(rel), size: st.size, mtimeMs: st.mtimeMs });
  }
  const journalDir = r.resolveDir('/var/log/journal');
  if (journalDir !== undefined) walkJournal(r, journalDir, '/var/log/journal', 0, files, problems);
  // Oldest first within each kind: dated names ("secure-20240501") use the number as a date.
  files.sort((a, b) => a.kind.localeCompare(b.kind) || b.generation - a.generation || a.path.localeCompare(b.path));
  return { files, problems };
}

function walkJournal(r: RootResolver, rel: string, shown: string, depth: number, out: LogFile[], problems: string[]): void {
  if (depth > 3) return;
  let names: string[];
  try {
    names = readdirSync(r.abs(rel)).sort();
  } catch (err) {
    problems.push(`${shown}: ${(err as Error).message}`);
    return;
  }
  for (const name of names) {
    const child = `${rel}/${name}`;
    const st = r.lstat(child);
    if (!st) continue;
    if (st.isDirectory()) walkJournal(r, child, `${shown}/${name}`, depth + 1, out, problems);
    else if (st.isFile() && /\.journal~?$/.test(name)) {
      if (out.filter((f) => f.kind === 'journal').length >= MAX_JOURNAL_FILES) {
        problems.push(`${shown}: more than ${MAX_JOURNAL_FILES} journal files, the rest skipped`);
        return;
      }
      out.push({ kind: 'journal', path: `${shown}/${name}`, abs: r.abs(child), size: st.size, mtimeMs: st.mtimeMs, generation: 0, gzip: false });
    }
  }
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
