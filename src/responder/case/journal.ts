// SPDX-License-Identifier: GPL-3.0-or-later
// The case's activity journal: JOURNAL (JSON Lines), one entry per responder command run while
// the case is open. Each entry carries the sha256 of the previous line (the first: of case.json),
// so an entry edited, removed or inserted later breaks the chain at the next entry. The newest
// entry has no successor: its hash (the "head") is printed after each command and in the report,
// for the responder's paper notes.
import { createHash } from 'node:crypto';
import { constants, promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import { syncDir } from '../lib/durable.js';

export const JOURNAL = 'journal.jsonl';
export const CASE_FILE = 'case.json';

export interface OutputRecord {
  /** Relative to the case folder when inside it, else absolute. */
  path: string;
  bytes: number;
  sha256: string;
}

export interface JournalEntry {
  seq: number;
  command: string[];
  cwd: string;
  user: string;
  started: string;
  finished: string;
  exitCode: number;
  outputs: OutputRecord[];
  /** sha256 of the previous line's bytes (the first entry: of case.json's bytes). */
  prev: string;
}

export const sha256 = (b: string | Buffer): string => createHash('sha256').update(b).digest('hex');

function lines(text: string): string[] {
  return text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1);
}

/** The hash the next entry must carry, and its number. */
export function nextLink(caseJson: Buffer, journal: string): { seq: number; prev: string } {
  const ls = lines(journal);
  return { seq: ls.length + 1, prev: ls.length ? sha256(ls.at(-1)!) : sha256(caseJson) };
}

/** Append one entry (fsynced, with its folder) and return the new head hash. */
export async function appendEntry(caseDir: string, entry: Omit<JournalEntry, 'seq' | 'prev'>): Promise<{ seq: number; head: string }> {
  const journal = path.join(caseDir, JOURNAL);
  const caseJson = readFileSync(path.join(caseDir, CASE_FILE));
  const unlock = await lock(journal);
  try {
    const current = await fsp.readFile(journal, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e)));
    const link = nextLink(caseJson, current);
    const line = JSON.stringify({ seq: link.seq, ...entry, prev: link.prev });
    const fh = await fsp.open(journal, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o640);
    try {
      // A line cut by a power loss: start on a fresh line so the next entry stays readable.
      await fh.write((current && !current.endsWith('\n') ? '\n' : '') + line + '\n');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await syncDir(caseDir);
    return { seq: link.seq, head: sha256(line) };
  } finally {
    await unlock();
  }
}

/** Two responder commands finishing at once must not both link to the same entry. */
async function lock(journal: string): Promise<() => Promise<void>> {
  const file = `${journal}.lock`;
  for (let i = 0; ; i++) {
    try {
      await (await fsp.open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600)).close();
      return () => fsp.unlink(file).catch(() => undefined);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // A lock older than a minute is left over from a crash.
      const st = await fsp.stat(file).catch(() => undefined);
      if (i > 200 || (st && Date.now() - st.mtimeMs > 60_000)) await fsp.unlink(file).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

export interface ChainCheck {
  ok: boolean;
  entries: JournalEntry[];
  /** One line per break: which entry, and what it means. */
  problems: string[];
  head?: string;
}

/** Check every link of the journal against case.json and the previous line. */
export function checkChain(caseJson: Buffer, journal: string): ChainCheck {
  const ls = lines(journal);
  const entries: JournalEntry[] = [];
  const problems: string[] = [];
  let prevHash = sha256(caseJson);
  ls.forEach((line, i) => {
    const n = i + 1;
    let e: JournalEntry | undefined;
    try {
      e = JSON.parse(line) as JournalEntry;
    } catch {
      problems.push(`line ${n}: not a JSON entry (cut by a power loss, or edited)`);
    }
    if (e) {
      if (e.prev !== prevHash) {
        problems.push(
          n === 1
            ? `entry 1: does not match case.json: case.json or entry 1 was changed after it was written`
            : `entry ${n}: the previous entry (line ${n - 1}) was changed, removed or inserted after it was written`,
        );
      }
      if (e.seq !== n) problems.push(`entry ${n}: numbered ${String(e.seq)}: an entry was removed or inserted`);
      entries.push(e);
    }
    prevHash = sha256(line);
  });
  return { ok: problems.length === 0, entries, problems, head: ls.length ? prevHash : undefined };
}
