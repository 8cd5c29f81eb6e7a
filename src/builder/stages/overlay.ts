// SPDX-License-Identifier: GPL-3.0-or-later
// Stage 3: copy the self-test files and the profile's overlay folders into the image tree (file
// modes kept, owned by root), write the image's identity, then run the after-overlays hooks.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../pipeline/context.js';
import type { Stage } from '../pipeline/stage.js';
import { run } from '../exec/run.js';
import { selftestDir } from '../paths.js';
import { hookFileProblems, hookFingerprint, runHooks } from './hooks.js';
import { treeFingerprint } from './tree-fingerprint.js';

export const overlayStage: Stage = {
  name: 'overlay',
  title: 'Copy overlays and run hooks',
  needs: ['upperLayer'],
  produces: [],
  upperLayer: {
    async keyPart(ctx) {
      const p = ctx.profile;
      const overlays = [];
      for (const o of p.overlays) overlays.push({ name: o.name, tree: await treeFingerprint(o.path) });
      return {
        selftest: await treeFingerprint(selftestDir(ctx.opts.repoRoot)),
        overlays,
        hooks: hookFingerprint(p.hooks.filter((h) => h.when === 'after-overlays')),
      };
    },
  },
  verify: ({ profile }) => [
    ...profile.overlays.filter((o) => !existsSync(o.path)).map((o) => `overlay ${o.name}: folder ${o.path} is missing`),
    ...hookFileProblems(profile.hooks.filter((h) => h.when === 'after-overlays')),
  ],
  async run(ctx) {
    const tree = ctx.tree;
    if (!tree) return { cache: 'hit', detail: 'upper layer unchanged' };
    const root = tree.root;
    await copyTree(selftestDir(ctx.opts.repoRoot), root);
    for (const folder of ctx.profile.overlays.map((o) => o.path)) await copyTree(folder, root);
    await writeIdentity(ctx, root);
    const hooks = ctx.profile.hooks.filter((h) => h.when === 'after-overlays');
    await runHooks(tree.chroot, hooks);
    const names = ctx.profile.overlays.map((o) => o.name);
    return { cache: 'miss', detail: `${names.length} overlay(s)${names.length ? ': ' + names.join(', ') : ''}, ${hooks.length} hook(s)` };
  },
};

/** cp keeps modes and symlinks; files become root's because we do not preserve ownership. */
async function copyTree(from: string, to: string): Promise<void> {
  await run(['cp', '--recursive', '--no-dereference', '--preserve=mode,timestamps,links', `${from}/.`, `${to}/`], { label: 'overlay' });
}

/** What the booted system knows about itself (read by the self-test and, later, the toolkit). */
async function writeIdentity(ctx: BuildContext, root: string): Promise<void> {
  const dir = path.join(root, 'etc/forensic-live');
  await mkdir(dir, { recursive: true });
  const identity = {
    profile: ctx.profile.name,
    buildId: ctx.get('upperLayer').buildId,
    suite: ctx.profile.distribution.suite,
    architecture: ctx.profile.distribution.architecture,
  };
  await writeFile(path.join(dir, 'image.json'), JSON.stringify(identity, null, 2) + '\n');
}
