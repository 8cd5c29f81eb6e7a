// SPDX-License-Identifier: GPL-3.0-or-later
// Stage 1: bootstrap the base tree with mmdebstrap, verified against Debian's archive keyring,
// then run the profile's after-bootstrap hooks. The result is cached by a hash of everything
// that affects it, so a rebuild with the same package set never bootstraps again.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cacheKey } from '../pipeline/cache.js';
import type { BaseTree, BuildContext } from '../pipeline/context.js';
import type { Stage } from '../pipeline/stage.js';
import { Chroot } from '../exec/chroot.js';
import { EATMYDATA_HOOK_DIR, MERGED_USR_HOOK_DIR, mmdebstrapHooksDir } from '../paths.js';
import { bootstrapHookDirs, mmdebstrapArgv } from './bootstrap-argv.js';
import { runTimed, type BootstrapTiming } from './bootstrap-timing.js';
import { hookFileProblems, hookFingerprint, runHooks } from './hooks.js';
import { initramfsDeferred } from './initramfs.js';
import { listPackages } from './packages.js';
import { treeFingerprint } from './tree-fingerprint.js';

/** Bump when the way the base tree is made changes, to invalidate old cache entries. */
const BOOTSTRAP_FORMAT = 4;

export async function bootstrapKey(ctx: BuildContext): Promise<string> {
  const p = ctx.profile;
  return cacheKey({
    format: BOOTSTRAP_FORMAT,
    distribution: p.distribution,
    packages: [...p.packages].sort(),
    slim: p.slim,
    hooks: hookFingerprint(p.hooks.filter((h) => h.when === 'after-bootstrap')),
    mmdebstrap: ctx.toolVersions.mmdebstrap,
    // The builder's own mmdebstrap hooks (initramfs once, boot-only initramfs): a change to them is a new tree.
    builderHooks: await treeFingerprint(mmdebstrapHooksDir(ctx.opts.repoRoot)),
    // Dates inside the tree (e.g. /etc/shadow's last-change days) come from it.
    sourceDateEpoch: ctx.sourceDateEpoch.epoch,
    // A tree without an initrd (the initramfs stage makes it) is another entry; absent otherwise, so cached trees stay valid.
    ...(initramfsDeferred(p) ? { initramfs: 'deferred' } : {}),
  });
}

declare module '../pipeline/context.js' {
  interface Products {
    /** Seconds per phase of the mmdebstrap call that made the base tree's cache entry (also on a hit); null for older entries. */
    bootstrapTiming: BootstrapTiming | null;
  }
}

export const bootstrapStage: Stage = {
  name: 'bootstrap',
  title: 'Bootstrap Debian with mmdebstrap',
  needs: [],
  produces: ['baseTree', 'bootstrapTiming'],
  verify: ({ profile }) => [
    ...hookFileProblems(profile.hooks.filter((h) => h.when === 'after-bootstrap')),
    // The speed hooks ship with mmdebstrap 1.x; an older one would fail only minutes into the bootstrap.
    ...[EATMYDATA_HOOK_DIR, MERGED_USR_HOOK_DIR].filter((d) => !existsSync(d)).map((d) => `mmdebstrap's hook folder ${d} is missing (mmdebstrap 1.0 or newer is needed)`),
  ],
  async run(ctx) {
    const key = await bootstrapKey(ctx);
    const hit = ctx.cache.lookup('bootstrap', key);
    if (hit) {
      const base = await useEntry(ctx, hit, key);
      return { cache: 'hit', detail: detail(ctx, base) };
    }
    const entry = await ctx.cache.create('bootstrap', key, async (tmp) => {
      const root = path.join(tmp, 'root');
      const debCache = path.join(ctx.opts.cacheDir, 'debs', ctx.profile.distribution.suite);
      await mkdir(debCache, { recursive: true });
      await mkdir(path.join(root, 'var/cache/apt/archives/partial'), { recursive: true });
      const hookDirs = bootstrapHookDirs(ctx.opts.repoRoot, initramfsDeferred(ctx.profile));
      const timing = await runTimed(mmdebstrapArgv(ctx.profile, root, debCache, hookDirs), (m) => ctx.progress(m));
      // mmdebstrap copies the build host's resolv.conf and hostname in: neither belongs in the image
      // (they name the builder's network), and they would make the tree differ from host to host.
      await writeFile(path.join(root, 'etc/resolv.conf'), '');
      await writeFile(path.join(root, 'etc/hostname'), 'localhost\n');
      const afterBootstrap = ctx.profile.hooks.filter((h) => h.when === 'after-bootstrap');
      if (afterBootstrap.length) {
        const chroot = await Chroot.enter(root, ctx.cleanup);
        try {
          await runHooks(chroot, afterBootstrap);
        } finally {
          await chroot.leave();
        }
      }
      await writeFile(path.join(tmp, 'packages.tsv'), await listPackages(root));
      await writeFile(path.join(tmp, 'kernel-version'), (await kernelVersionOf(root)) + '\n');
      await writeFile(path.join(tmp, 'phases.json'), JSON.stringify(timing) + '\n');
    });
    const base = await useEntry(ctx, entry, key);
    return { cache: 'miss', detail: detail(ctx, base) };
  },
};

function detail(ctx: BuildContext, base: BaseTree): string {
  return `${ctx.profile.distribution.suite}, kernel ${base.kernelVersion}${initramfsDeferred(ctx.profile) ? ', initramfs left to the initramfs stage' : ''}`;
}

async function useEntry(ctx: BuildContext, entry: string, key: string): Promise<BaseTree> {
  const base = { entry, key, kernelVersion: await kernelVersionOf(path.join(entry, 'root')) };
  ctx.set('baseTree', base);
  // The phase timings of the build that made this entry (entries made before they were recorded have none).
  const phases = path.join(entry, 'phases.json');
  ctx.set('bootstrapTiming', existsSync(phases) ? (JSON.parse(await readFile(phases, 'utf8')) as BootstrapTiming) : null);
  return base;
}

/** The newest kernel in the tree's /boot (the one live-boot and the menu will use). */
export async function kernelVersionOf(root: string): Promise<string> {
  const names = (await readdir(path.join(root, 'boot'))).filter((n) => n.startsWith('vmlinuz-'));
  const versions = names.map((n) => n.slice('vmlinuz-'.length)).sort(compareVersions);
  const newest = versions.at(-1);
  if (!newest) throw new Error('no kernel in the image: the profile must install a kernel package (e.g. linux-image-amd64)');
  return newest;
}

function compareVersions(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}
