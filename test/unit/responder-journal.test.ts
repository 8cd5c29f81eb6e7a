// SPDX-License-Identifier: GPL-3.0-or-later
// The case journal's hash chain: intact after appends; one edited byte anywhere (case.json, an
// entry, a removed or inserted entry) is detected and named; the report re-hashes outputs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASE_FILE, JOURNAL, appendEntry, checkChain, sha256 } from '../../src/responder/case/journal.js';
import { gatherJournal } from '../../src/responder/report/journal.js';

async function caseWithEntries(n: number): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'responder-journal-'));
  writeFileSync(path.join(dir, CASE_FILE), JSON.stringify({ case: 'IR-1', examiner: 'A', evidence: ['EV1'] }));
  for (let i = 0; i < n; i++) {
    writeFileSync(path.join(dir, `out${i}.txt`), `output ${i}\n`);
    await appendEntry(dir, {
      command: ['responder', 'cmd', String(i)],
      cwd: '/',
      user: 'root',
      started: new Date(i * 1000).toISOString(),
      finished: new Date(i * 1000 + 500).toISOString(),
      exitCode: 0,
      outputs: [{ path: `out${i}.txt`, bytes: 9, sha256: sha256(`output ${i}\n`) }],
    });
  }
  return dir;
}

const check = (dir: string) => checkChain(readFileSync(path.join(dir, CASE_FILE)), readFileSync(path.join(dir, JOURNAL), 'utf8'));

describe('journal hash chain', () => {
  it('links each entry to the previous one (the first to case.json), numbered from 1', async () => {
    const dir = await caseWithEntries(4);
    const c = check(dir);
    expect(c.problems).toEqual([]);
    expect(c.ok).toBe(true);
    expect(c.entries.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    const lines = readFileSync(path.join(dir, JOURNAL), 'utf8').trim().split('\n');
    expect(c.entries[0]!.prev).toBe(sha256(readFileSync(path.join(dir, CASE_FILE))));
    expect(c.entries[2]!.prev).toBe(sha256(lines[1]!));
    expect(c.head).toBe(sha256(lines[3]!));
  });

  it('one edited byte in an entry is detected at the next entry', async () => {
    const dir = await caseWithEntries(4);
    const file = path.join(dir, JOURNAL);
    const text = readFileSync(file, 'utf8');
    const at = text.indexOf('"exitCode":0', text.indexOf('\n') + 1); // in entry 2
    writeFileSync(file, text.slice(0, at) + '"exitCode":1' + text.slice(at + 12));
    const c = check(dir);
    expect(c.ok).toBe(false);
    expect(c.problems).toEqual(['entry 3: the previous entry (line 2) was changed, removed or inserted after it was written']);
  });

  it('an edited case.json, a removed entry and a cut line are detected', async () => {
    const dir = await caseWithEntries(3);
    const caseFile = path.join(dir, CASE_FILE);
    writeFileSync(caseFile, readFileSync(caseFile, 'utf8').replace('"A"', '"B"'));
    expect(check(dir).problems).toEqual(['entry 1: does not match case.json: case.json or entry 1 was changed after it was written']);

    const dir2 = await caseWithEntries(3);
    const file = path.join(dir2, JOURNAL);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    writeFileSync(file, [lines[0], lines[2]].join('\n') + '\n');
    expect(check(dir2).problems).toEqual(['entry 2: the previous entry (line 1) was changed, removed or inserted after it was written', 'entry 2: numbered 3: an entry was removed or inserted']);

    writeFileSync(file, lines[0] + '\n' + lines[1]!.slice(0, 40));
    expect(check(dir2).problems).toEqual(['line 2: not a JSON entry (cut by a power loss, or edited)']);
  });

  it('a line cut by a power loss does not swallow the next entry', async () => {
    const dir = await caseWithEntries(1);
    const file = path.join(dir, JOURNAL);
    writeFileSync(file, readFileSync(file, 'utf8') + '{"seq":2,"comm');
    await appendEntry(dir, { command: ['responder', 'x'], cwd: '/', user: 'root', started: '', finished: '', exitCode: 0, outputs: [] });
    const c = check(dir);
    expect(c.entries.map((e) => e.command[1])).toEqual(['cmd', 'x']);
    expect(c.problems[0]).toMatch(/^line 2: not a JSON entry/);
  });

  it('the report re-hashes recorded outputs: an output edited after the fact is named', async () => {
    const dir = await caseWithEntries(3);
    expect((await gatherJournal(dir))!.ok).toBe(true); // positive control
    writeFileSync(path.join(dir, 'out1.txt'), 'output X\n');
    const j = (await gatherJournal(dir))!;
    expect(j.ok).toBe(false);
    expect(j.problems).toEqual(['out1.txt: changed since entry 2 wrote it (sha256 differs)']);
  });

  it('concurrent appends each link to a distinct predecessor', async () => {
    const dir = await caseWithEntries(0);
    await Promise.all(Array.from({ length: 8 }, (_, i) => appendEntry(dir, { command: ['responder', String(i)], cwd: '/', user: 'root', started: '', finished: '', exitCode: 0, outputs: [] })));
    const c = check(dir);
    expect(c.problems).toEqual([]);
    expect(c.entries).toHaveLength(8);
  });
});
