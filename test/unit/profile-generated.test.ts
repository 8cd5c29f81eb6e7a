// SPDX-License-Identifier: GPL-3.0-or-later
// The committed generated files must match what the schema generates now.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REFERENCE_EXAMPLE } from '../../src/builder/profile/reference.js';
import { findRepoRoot } from '../../src/builder/profile/index.js';
import { generatedFiles, loadProfile, profileReferenceMarkdown } from '../../src/builder/features/index.js';
import { tempRepo } from './profile-fixture.js';

const repoRoot = findRepoRoot();

describe('generated profile files', () => {
  it.each(generatedFiles().map((f) => [f.path, f.content]))('%s is up to date', (rel, content) => {
    let committed: string | undefined;
    try {
      committed = readFileSync(path.join(repoRoot, rel), 'utf8');
    } catch {
      committed = undefined;
    }
    if (committed !== content) expect.fail(`${rel} is out of date with src/builder/profile/schema.ts: run \`npm run generate\` and commit the result`);
  });

  it('finds the repository root from the module location', () => {
    expect(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).name).toBe('forensic-live');
  });

  it('documents every top-level key and the merge rules', () => {
    const md = profileReferenceMarkdown();
    for (const key of ['distribution', 'packages', 'slim', 'image', 'overlays', 'hooks', 'squashfs', 'boot', 'boot.entries[]', 'image.user']) expect(md).toContain(`\`${key}\``);
    expect(md).toMatch(/Every list \*\*appends\*\*/);
    expect(md).toContain('`- remove: KEY`');
  });

  it('has an example that loads', async () => {
    const dir = tempRepo().root;
    const file = path.join(dir, 'example.yaml');
    writeFileSync(file, REFERENCE_EXAMPLE);
    const p = await loadProfile(file, { repoRoot });
    expect(p.packages).toContain('sleuthkit');
    expect(p.packages).not.toContain('nano');
    expect(p.boot.entries[0]).toEqual({ id: 'live', label: 'Disk tools', options: [] });
  });
});
