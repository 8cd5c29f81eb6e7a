// SPDX-License-Identifier: GPL-3.0-or-later
// Precision and recall of `responder verify` and `responder sweep` against an intruder who knows
// the tools: a real bookworm server tree (systemd, openssh-server, sudo, cron, python3; cached
// mmdebstrap) and its trusted reference from the signed archive. The clean twin must give zero
// findings from both; the tampered copy holds every trick of the corpus (test/helpers/
// hostile-corpus.ts), and each trick is a named test that fails when its finding is missing.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEST_OUT } from '../helpers/e2e.js';
import { unpackTree } from '../helpers/debian-tree.js';
import { TRICKS } from '../helpers/hostile-corpus.js';
import { runResponder } from '../helpers/responder-run.js';
import { serverTreeWithReference } from '../helpers/server-tree.js';

const WORK = path.join(TEST_OUT, 'hostile');
const REF = path.join(WORK, 'reference');
const CLEAN = path.join(WORK, 'clean');
const TAMPERED = path.join(WORK, 'tampered');

interface Finding {
  kind?: string;
  indicator?: string;
  severity: string;
  path?: string;
  detail: string;
}

async function run(cmd: 'verify' | 'sweep', root: string) {
  const r = await runResponder([cmd, root, '--reference', REF, '--json']);
  if (r.code !== 0 && r.code !== 1) throw new Error(`${cmd} exit ${r.code}: ${r.stderr}`);
  return { code: r.code, report: JSON.parse(r.stdout.toString()) as { findings: Finding[]; notes?: Finding[]; files?: { pycVerified: number } } };
}

const reports: Record<string, Awaited<ReturnType<typeof run>>> = {};

beforeAll(async () => {
  mkdirSync(WORK, { recursive: true });
  const tree = await serverTreeWithReference(REF);
  unpackTree(tree.tarball, CLEAN);
  unpackTree(tree.tarball, TAMPERED);
  for (const t of TRICKS) t.apply(TAMPERED);
  for (const cmd of ['verify', 'sweep'] as const) {
    reports[`${cmd} clean`] = await run(cmd, CLEAN);
    reports[`${cmd} tampered`] = await run(cmd, TAMPERED);
  }
});

const found = (list: Finding[], key: 'kind' | 'indicator', what: string, p: string) => list.some((f) => f[key] === what && (f.path === p || (f.path?.endsWith(p) ?? false)));

describe('the clean server tree (false positives fail here)', () => {
  it('verify: zero findings, exit 0; every compiled Python file matches its source', () => {
    const { code, report } = reports['verify clean']!;
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
    expect(report.files!.pycVerified).toBeGreaterThan(400);
    // Information stays apart: the set-id bit that cron's own override grants is still shown.
    expect(report.notes!.some((n) => n.kind === 'SETID-OVERRIDE' && n.path === '/usr/bin/crontab')).toBe(true);
  });

  it('sweep with the reference: zero findings, exit 0', () => {
    const { code, report } = reports['sweep clean']!;
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('the adversarial corpus: each trick is reported', () => {
  for (const t of TRICKS) {
    it(t.name, () => {
      const v = reports['verify tampered']!.report.findings;
      const s = reports['sweep tampered']!.report.findings;
      for (const [kind, p] of t.verify ?? []) expect(found(v, 'kind', kind, p), `verify ${kind} ${p}`).toBe(true);
      for (const [ind, p] of t.sweep ?? []) expect(found(s, 'indicator', ind, p), `sweep ${ind} ${p}`).toBe(true);
    });
  }
});
