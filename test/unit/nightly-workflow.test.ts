// SPDX-License-Identifier: GPL-3.0-or-later
// The nightly workflow is checked as far as a machine without GitHub can: it validates against the
// workflow schema (@action-validator/core), its matrix covers the shipped profiles, and its jobs
// call the commands the README documents.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateWorkflow } from '@action-validator/core';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(__dirname, '../..');
const source = readFileSync(path.join(REPO, '.github/workflows/nightly.yml'), 'utf8');
const workflow = parse(source) as {
  on: Record<string, unknown>;
  jobs: Record<string, { strategy?: { matrix: { profile: string[] } }; steps: { name?: string; run?: string; uses?: string }[] }>;
};
const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
const runs = (job: string) => workflow.jobs[job]!.steps.map((s) => s.run ?? '').join('\n');

describe('nightly workflow', () => {
  it('is a valid GitHub Actions workflow', () => {
    const state = validateWorkflow(source);
    expect(state.errors).toEqual([]);
  });

  it('runs every night and on demand, over the profiles that ship', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['schedule', 'workflow_dispatch']);
    expect(workflow.jobs.build!.strategy!.matrix.profile).toEqual(expect.arrayContaining(['forensic', 'minimal']));
  });

  it('builds with the container runner and boot-tests BIOS and UEFI, as the README documents', () => {
    const build = runs('build');
    expect(build).toContain('node bin/build-live.js --container docker --profile ${{ matrix.profile }}');
    expect(readme).toContain('build-live --container docker --profile');
    expect(build).toMatch(/boot-test --iso out\/\$\{\{ matrix\.profile \}\}\.iso --firmware bios/);
    expect(build).toMatch(/boot-test --iso out\/\$\{\{ matrix\.profile \}\}\.iso --firmware uefi/);
    expect(readme).toContain('build-live boot-test --iso');
    expect(build).toContain('sha256sum -c SHA256SUMS');
    // forensic boots with Secure Boot enforced too.
    const sb = workflow.jobs.build!.steps.find((s) => s.run?.includes('--secure-boot')) as unknown as { if: string; run: string };
    expect(sb.if).toBe("matrix.profile == 'forensic'");
    expect(sb.run).toMatch(/--firmware uefi --secure-boot --media disk/);
  });

  it('publishes the ISO, checksums, manifest and build record, and keeps a bounded number of nightlies', () => {
    const upload = workflow.jobs.build!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact') && s.name === 'Upload the artifacts') as unknown as { with: { path: string } };
    for (const f of ['.iso', 'SHA256SUMS', '.packages', '.build.json', '.cdx.json']) expect(upload.with.path).toContain(f);
    const publish = runs('publish');
    expect(publish).toContain('gh release create');
    expect(publish).toMatch(/tail -n \+\$\(\(KEEP_NIGHTLIES \+ 1\)\)/);
    expect(workflow.jobs.build!.steps.some((s) => s.uses?.startsWith('actions/cache'))).toBe(true);
  });
});
