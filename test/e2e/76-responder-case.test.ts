// SPDX-License-Identifier: GPL-3.0-or-later
// The responder's case folder end to end: what `acquire` records is what `report` shows (the two
// commands agree on the custody log format).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes, createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_OUT } from '../helpers/e2e.js';
import { runResponder } from '../helpers/responder-run.js';

describe('acquire then report', () => {
  it('reports the case, examiner, hash and verification that acquire recorded', async () => {
    const dir = path.join(TEST_OUT, 'case-roundtrip');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, 'case'), { recursive: true });
    const source = path.join(dir, 'evidence.raw');
    const data = randomBytes(3 * 1024 * 1024 + 123);
    writeFileSync(source, data);
    const sha256 = createHash('sha256').update(data).digest('hex');
    const acq = await runResponder([
      'acquire',
      source,
      '--out',
      path.join(dir, 'case/ev1.img'),
      '--case',
      'IR-2026-7',
      '--evidence',
      'EV1',
      '--examiner',
      'A. Responder',
      '--notes',
      'server room, rack 4',
    ]);
    expect(acq.stderr).toContain('verification: verified'); // the summary goes to stderr: stdout may carry the image (--out -)
    expect(acq.code).toBe(0);
    const custody = JSON.parse(readFileSync(path.join(dir, 'case/ev1.img.custody.json'), 'utf8'));
    expect(custody.hashes.sha256).toBe(sha256);
    const rep = await runResponder(['report', '--case', path.join(dir, 'case')]);
    expect(rep.code).toBe(0);
    const md = readFileSync(path.join(dir, 'case/report.md'), 'utf8');
    expect(md).toContain('case IR-2026-7');
    expect(md).toContain('| Case / evidence | IR-2026-7 / EV1 |');
    expect(md).toContain('| Examiner | A. Responder |');
    expect(md).toContain(sha256);
    expect(md).toContain('| Verified after writing | yes |');
    const html = readFileSync(path.join(dir, 'case/report.html'), 'utf8');
    expect(html).toContain(sha256);
  });
});

describe('responder case: the open case folder and its journal', () => {
  it('later commands write into the case; the journal chains every command; an edit is reported loudly', async () => {
    const dir = path.join(TEST_OUT, 'case-journal');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(path.join(dir, 'tree/etc'), { recursive: true });
    const env = { RESPONDER_STATE_DIR: path.join(dir, 'run') };
    const caseDir = path.join(dir, 'collection/IR-2026-8');
    const source = path.join(dir, 'evidence.raw');
    const data = randomBytes(2 * 1024 * 1024 + 512);
    writeFileSync(source, data);
    writeFileSync(path.join(dir, 'tree/etc/hostname'), 'victim\n');
    const sha256 = createHash('sha256').update(data).digest('hex');

    const open = await runResponder(['case', 'open', caseDir, '--case', 'IR-2026-8', '--examiner', 'B. Examiner', '--evidence', 'EV7'], { env });
    expect(open.code, open.stderr).toBe(0);
    // No --out: the image goes into the case, named after the evidence id, with case fields filled in.
    const acq = await runResponder(['acquire', source], { env });
    expect(acq.code, acq.stderr).toBe(0);
    const custody = JSON.parse(readFileSync(path.join(caseDir, 'EV7.raw.custody.json'), 'utf8'));
    expect(custody.case).toEqual({ case: 'IR-2026-8', evidence: 'EV7', examiner: 'B. Examiner' });
    expect(custody.hashes.sha256).toBe(sha256);
    const tl = await runResponder(['timeline', path.join(dir, 'tree')], { env });
    expect(tl.code, tl.stderr).toBe(0);
    expect(readFileSync(path.join(caseDir, 'tree.body'), 'utf8')).toContain('/etc/hostname');
    const rep = await runResponder(['report'], { env });
    expect(rep.code, rep.stderr).toBe(0);
    const md = readFileSync(path.join(caseDir, 'report.md'), 'utf8');
    expect(md).toContain('## Activity journal');
    expect(md).toMatch(/Activity journal: 3 entries, hash chain intact/);
    expect(md).toContain(`EV7.raw ${sha256}`);

    const journal = readFileSync(path.join(caseDir, 'journal.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(journal.map((e) => e.command.slice(1, 3))).toEqual([['case', 'open'], ['acquire', source], ['timeline', path.join(dir, 'tree')], ['report']]);
    expect(journal.every((e) => e.exitCode === 0 && /Z$/.test(e.started) && /Z$/.test(e.finished))).toBe(true);
    expect(journal[1].outputs.find((o: { path: string }) => o.path === 'EV7.raw').sha256).toBe(sha256);

    const check = await runResponder(['case', 'check'], { env });
    expect(check.code, check.stdout.toString()).toBe(0);
    // Someone edits the first entry afterwards (one byte): case check and report say so.
    const file = path.join(caseDir, 'journal.jsonl');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('"exitCode":0', '"exitCode":3'));
    const broken = await runResponder(['case', 'check'], { env });
    expect(broken.code).toBe(1);
    expect(broken.stdout.toString()).toContain('JOURNAL CHAIN BROKEN');
    const rep2 = await runResponder(['report'], { env });
    expect(rep2.code).toBe(1);
    expect(rep2.stderr).toContain('ACTIVITY JOURNAL DOES NOT CHECK OUT');
    expect(readFileSync(path.join(caseDir, 'report.md'), 'utf8')).toContain('entry 2: the previous entry (line 1) was changed');
    // Explicit paths still win; closing the case stops the journal.
    expect((await runResponder(['case', 'close'], { env })).code).toBe(0);
    const before = readFileSync(file, 'utf8');
    await runResponder(['acquire', source, '--out', path.join(dir, 'elsewhere.raw')], { env });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });
});
