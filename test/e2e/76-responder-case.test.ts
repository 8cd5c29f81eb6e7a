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
    const acq = await runResponder(['acquire', source, '--out', path.join(dir, 'case/ev1.img'), '--case', 'IR-2026-7', '--evidence', 'EV1', '--examiner', 'A. Responder', '--notes', 'server room, rack 4']);
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
