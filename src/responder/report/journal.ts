// SPDX-License-Identifier: GPL-3.0-or-later
// The case's activity journal in the report: its entries, whether the hash chain holds, and
// whether the files the journal hashed are still what was written (the latest entry per file;
// files over 64 MiB, such as images, are not re-read here: their custody logs carry their hashes).
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, lstatSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CASE_FILE, JOURNAL, checkChain, type JournalEntry } from '../case/journal.js';

export const RECHECK_LIMIT = 64 << 20;

export interface JournalReport {
  entries: JournalEntry[];
  ok: boolean;
  head?: string;
  /** Broken links, and outputs that no longer match the hash the journal recorded. */
  problems: string[];
  outputsChecked: number;
}

async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

export async function gatherJournal(caseDir: string): Promise<JournalReport | undefined> {
  const journalFile = path.join(caseDir, JOURNAL);
  if (!existsSync(path.join(caseDir, CASE_FILE)) || !existsSync(journalFile)) return undefined;
  const chain = checkChain(readFileSync(path.join(caseDir, CASE_FILE)), readFileSync(journalFile, 'utf8'));
  const problems = [...chain.problems];
  const latest = new Map<string, { seq: number; sha256: string; bytes: number }>();
  for (const e of chain.entries) for (const o of e.outputs ?? []) latest.set(o.path, { seq: e.seq, sha256: o.sha256, bytes: o.bytes });
  let outputsChecked = 0;
  for (const [rel, o] of latest) {
    const abs = path.isAbsolute(rel) ? rel : path.join(caseDir, rel);
    const st = lstatSync(abs, { throwIfNoEntry: false });
    if (!st) {
      problems.push(`${rel}: written by entry ${o.seq}, now missing`);
      continue;
    }
    if (!st.isFile()) {
      problems.push(`${rel}: written by entry ${o.seq} as a file, now something else`);
      continue;
    }
    if (st.size !== o.bytes) {
      problems.push(`${rel}: changed since entry ${o.seq} wrote it (${o.bytes} bytes then, ${st.size} now)`);
      continue;
    }
    if (st.size > RECHECK_LIMIT) continue;
    outputsChecked++;
    if ((await sha256File(abs)) !== o.sha256) problems.push(`${rel}: changed since entry ${o.seq} wrote it (sha256 differs)`);
  }
  return { entries: chain.entries, ok: problems.length === 0, head: chain.head, problems, outputsChecked };
}
