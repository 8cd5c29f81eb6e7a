// SPDX-License-Identifier: GPL-3.0-or-later
// The responder toolkit in the image: what the overlay stage copies, its modes, the cache key
// input, and the clear error when the bundle was not built.
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { installToolkit, toolkitFingerprint } from '../../src/builder/toolkit/install.js';
import type { BuildContext } from '../../src/builder/pipeline/context.js';
import { REPO } from '../helpers/e2e.js';
import { sampleProfile } from '../helpers/sample-profile.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'toolkit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A repository copy with only what the module reads: image/toolkit and a (fake) bundle. */
function fakeRepo(withBundle: boolean): string {
  const repo = mkdtempSync(path.join(tmp, 'repo-'));
  mkdirSync(path.join(repo, 'image'), { recursive: true });
  rmSync(path.join(repo, 'image', 'toolkit'), { recursive: true, force: true });
  cpSync(path.join(REPO, 'image', 'toolkit'), path.join(repo, 'image', 'toolkit'), { recursive: true });
  if (withBundle) {
    mkdirSync(path.join(repo, 'dist', 'responder'), { recursive: true });
    writeFileSync(path.join(repo, 'dist', 'responder', 'responder.mjs'), 'console.log("responder test")\n');
  }
  return repo;
}

function ctx(repo: string, responder: boolean): BuildContext {
  return { opts: { repoRoot: repo }, profile: sampleProfile({ toolkit: { responder } } as never) } as unknown as BuildContext;
}

describe('toolkit stage', () => {
  it('installs the bundle 0644, the wrapper and the self-test check executable', async () => {
    const repo = fakeRepo(true);
    const root = mkdtempSync(path.join(tmp, 'root-'));
    await installToolkit(ctx(repo, true), root);
    const bundle = path.join(root, 'usr/lib/forensic-live/responder.mjs');
    expect(readFileSync(bundle, 'utf8')).toContain('responder test');
    expect(statSync(bundle).mode & 0o777).toBe(0o644);
    const wrapper = path.join(root, 'usr/local/bin/responder');
    expect(statSync(wrapper).mode & 0o111).toBeTruthy();
    expect(readFileSync(wrapper, 'utf8')).toContain('exec node /usr/lib/forensic-live/responder.mjs "$@"');
    expect(statSync(path.join(root, 'usr/lib/forensic-live/selftest.d/35-responder')).mode & 0o111).toBeTruthy();
  });

  it('does nothing when the profile does not enable it', async () => {
    const root = mkdtempSync(path.join(tmp, 'root-'));
    expect(await installToolkit(ctx(fakeRepo(false), false), root)).toBeUndefined();
    expect(await toolkitFingerprint(ctx(fakeRepo(false), false))).toBeNull();
  });

  it('the cache key input follows the bundle content', async () => {
    const repo = fakeRepo(true);
    const a = (await toolkitFingerprint(ctx(repo, true))) as { bundle: string };
    expect(a.bundle).toBe(createHash('sha256').update('console.log("responder test")\n').digest('hex'));
    writeFileSync(path.join(repo, 'dist', 'responder', 'responder.mjs'), 'changed\n');
    expect(((await toolkitFingerprint(ctx(repo, true))) as { bundle: string }).bundle).not.toBe(a.bundle);
  });

  it('a missing bundle is a clear error naming npm run build', async () => {
    await expect(toolkitFingerprint(ctx(fakeRepo(false), true))).rejects.toThrow(/responder\.mjs is missing/);
    await expect(installToolkit(ctx(fakeRepo(false), true), tmp)).rejects.toMatchObject({ hint: expect.stringContaining('npm run build') });
  });
});
