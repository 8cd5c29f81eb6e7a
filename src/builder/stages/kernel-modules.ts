// SPDX-License-Identifier: GPL-3.0-or-later
// Stage `kernel-modules` (after overlay, before reference and initramfs): the profile's extra
// kernel modules, built for exactly the image's kernel in a throwaway build tree (kernel/), cached
// by kernel/plan.ts's key, copied into /lib/modules/KVER/updates/ of the image, then depmod and the
// modules-load.d, modprobe.d and initramfs lists. The initramfs stage regenerates the initrd
// because /lib/modules and /etc/modprobe.d changed (INITRAMFS_INPUTS).
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext, InjectedModule } from '../pipeline/context.js';
import type { Stage } from '../pipeline/stage.js';
import { log } from '../log.js';
import { fileSha256 } from '../../shared/hash.js';
import { withBuildTree } from '../kernel/build-tree.js';
import { buildDkmsPackages, buildSourceFolders, stage, type StagedModule } from '../kernel/compile.js';
import { hasSignature } from '../kernel/modinfo.js';
import { modulePlan, type ModulePlan } from '../kernel/plan.js';
import { kernelSectionUsed } from '../kernel/profile.js';
import { signModules } from '../kernel/sign.js';
import { installConfig } from '../kernel/image-config.js';

const RECORDS = 'modules.json';

export const kernelModulesStage: Stage = {
  name: 'kernel-modules',
  title: 'Build and add kernel modules',
  async run(ctx) {
    if (!kernelSectionUsed(ctx.profile.kernel)) return { cache: 'none', detail: 'none' };
    const plan = await modulePlan(ctx);
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
    ctx.state.kernelModules = modules;
    if (ctx.state.chroot && ctx.state.mergedRoot) {
      for (const m of modules) {
        const dest = path.join(ctx.state.mergedRoot, m.file);
        await mkdir(path.dirname(dest), { recursive: true });
        await copyFile(path.join(entry!, 'modules', path.basename(m.file)), dest);
        await chmod(dest, 0o644);
      }
      await installConfig(ctx, ctx.state.chroot, ctx.state.mergedRoot, modules.length > 0);
    }
    warnUnsigned(modules);
    const names = modules.map((m) => `${m.name}${m.signed ? ' (signed)' : ''}`).join(', ');
    return { cache: hit ? 'hit' : 'miss', detail: `${modules.length} module(s) for ${ctx.state.kernelVersion}${names ? ': ' + names : ''}` };
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
