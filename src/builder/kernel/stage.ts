// SPDX-License-Identifier: GPL-3.0-or-later
// Stage `kernel-modules` (after overlay, before reference and initramfs): the profile's extra
// kernel modules, built for exactly the image's kernel in a throwaway build tree (kernel/), cached
// by kernel/plan.ts's key, copied into /lib/modules/KVER/updates/ of the image, then depmod and the
// modules-load.d, modprobe.d and initramfs lists. The initramfs stage regenerates the initrd
// because /lib/modules and /etc/modprobe.d changed (INITRAMFS_INPUTS).
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../pipeline/context.js';
import type { InjectedModule } from './records.js';
import type { Stage } from '../pipeline/stage.js';
import { log } from '../log.js';
import { fileSha256 } from '../../shared/hash.js';
import { withBuildTree } from './build-tree.js';
import { buildDkmsPackages, buildSourceFolders, stage, type StagedModule } from './compile.js';
import { hasSignature } from './modinfo.js';
import { kernelFingerprint, modulePlan, type ModulePlan } from './plan.js';
import { kernelSectionUsed } from './profile.js';
import { signModules } from './sign.js';
import { installConfig } from './image-config.js';

const RECORDS = 'modules.json';

declare module '../pipeline/context.js' {
  interface Products {
    /** What the module build makes and its key (null: the profile injects no module). */
    modulePlan: ModulePlan | null;
    /** Every module put into the image (none: empty). */
    kernelModules: InjectedModule[];
  }
}

export const kernelModulesStage: Stage = {
  name: 'kernel-modules',
  title: 'Build and add kernel modules',
  needs: ['baseTree', 'upperLayer'],
  produces: ['modulePlan', 'kernelModules'],
  upperLayer: {
    // Modules and module lists live in the upper layer: only present when used (cached layers stay valid).
    async keyPart(ctx) {
      const plan = kernelSectionUsed(ctx.profile.kernel) ? await modulePlan(ctx) : null;
      ctx.set('modulePlan', plan);
      return kernelSectionUsed(ctx.profile.kernel) ? { kernel: kernelFingerprint(ctx.profile, plan) } : {};
    },
  },
  async run(ctx) {
    if (!kernelSectionUsed(ctx.profile.kernel)) {
      ctx.set('kernelModules', []);
      return { cache: 'none', detail: 'none' };
    }
    const plan = ctx.get('modulePlan');
    let hit = true;
    let entry: string | undefined;
    if (plan) {
      entry = ctx.cache.lookup('kmod', plan.key);
      if (!entry) {
        hit = false;
        entry = await ctx.cache.create('kmod', plan.key, (tmp) => buildModules(ctx, plan, tmp));
      }
    }
    const modules = entry ? await ctx.cache.readJson<InjectedModule[]>(entry, RECORDS) : [];
    ctx.set('kernelModules', modules);
    const tree = ctx.tree;
    if (tree) {
      for (const m of modules) {
        const dest = path.join(tree.root, m.file);
        await mkdir(path.dirname(dest), { recursive: true });
        await copyFile(path.join(entry!, 'modules', path.basename(m.file)), dest);
        await chmod(dest, 0o644);
      }
      await installConfig(ctx, tree.chroot, tree.root, modules.length > 0);
    }
    warnUnsigned(modules);
    const names = modules.map((m) => `${m.name}${m.signed ? ' (signed)' : ''}`).join(', ');
    return { cache: hit ? 'hit' : 'miss', detail: `${modules.length} module(s) for ${ctx.get('baseTree').kernelVersion}${names ? ': ' + names : ''}` };
  },
};

async function buildModules(ctx: BuildContext, plan: ModulePlan, tmp: string): Promise<void> {
  const out = path.join(tmp, 'modules');
  let staged: StagedModule[];
  if (plan.dkms.length || plan.sources.length || (plan.signing && plan.prebuilt.length)) {
    staged = await withBuildTree(ctx, plan, async (tree) => {
      const all = [...(await buildDkmsPackages(tree, plan)), ...(await buildSourceFolders(tree, plan))];
      for (const p of plan.prebuilt) all.push(await stage(tree, p.path, { kind: 'file', path: p.source }));
      await signModules(tree, plan, all);
      const copied = [];
      for (const m of all) copied.push(await stage(out, m.file, m.source));
      return copied;
    });
  } else {
    staged = [];
    for (const p of plan.prebuilt) staged.push(await stage(out, p.path, { kind: 'file', path: p.source }));
  }
  const records: InjectedModule[] = [];
  for (const m of staged) {
    records.push({
      name: m.name,
      source: m.source,
      kernelVersion: plan.kernelVersion,
      file: `/lib/modules/${plan.kernelVersion}/updates/${m.name}.ko`,
      sha256: await fileSha256(m.file),
      signed: hasSignature(await readFile(m.file)),
    });
  }
  await writeFile(path.join(tmp, RECORDS), JSON.stringify(records, null, 2) + '\n');
}

function warnUnsigned(modules: InjectedModule[]): void {
  const unsigned = modules.filter((m) => !m.signed);
  if (!unsigned.length) return;
  log.warn(
    `${unsigned.length} kernel module(s) are unsigned (${unsigned.map((m) => m.name).join(', ')}): they will not load on a machine that enforces Secure Boot (kernel lockdown). Set kernel.signing to a key and certificate enrolled there (MOK) to sign them.`,
  );
}
