// SPDX-License-Identifier: GPL-3.0-or-later
// Stage 3: copy the self-test files and the profile's overlay folders into the image tree (file
// modes kept, owned by root), write the image's identity, then run the after-overlays hooks.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../pipeline/context.js';
import type { Stage } from '../pipeline/stage.js';
import { run } from '../exec/run.js';
import { runHooks } from './hooks.js';
import { selftestDir } from './upper-key.js';
import { installToolkit } from './toolkit.js';

export const overlayStage: Stage = {
  name: 'overlay',
  title: 'Copy overlays and run hooks',
  async run(ctx) {
    if (!ctx.state.chroot) return { cache: 'hit', detail: 'upper layer unchanged' };
    const root = ctx.state.mergedRoot!;
    await copyTree(selftestDir(ctx), root);
    await installToolkit(ctx, root);
    for (const folder of ctx.profile.overlays.map((o) => o.path)) await copyTree(folder, root);
    await writeIdentity(ctx, root);
    const hooks = ctx.profile.hooks.filter((h) => h.when === 'after-overlays');
    await runHooks(ctx.state.chroot, hooks);
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
    buildId: ctx.state.buildId,
    suite: ctx.profile.distribution.suite,
    architecture: ctx.profile.distribution.architecture,
  };
  await writeFile(path.join(dir, 'image.json'), JSON.stringify(identity, null, 2) + '\n');
}
