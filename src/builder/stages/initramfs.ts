// SPDX-License-Identifier: GPL-3.0-or-later
// Stage 4: make sure the initrd the ISO boots is current: regenerate it when the upper layer
// changed anything the initramfs is made from (generate it when the bootstrap left it here), and
// check it carries live-boot either way.
import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Stage } from '../pipeline/stage.js';
import { injectsModules, type Profile } from '../profile/index.js';
import { UserError } from '../errors.js';
import { listPackages } from './packages.js';

/** Paths (relative to the tree) whose change means the initramfs must be made again. */
export const INITRAMFS_INPUTS = [
  'etc/initramfs-tools',
  'usr/share/initramfs-tools',
  'etc/modprobe.d',
  'lib/modules',
  'usr/lib/modules',
  'etc/live/boot',
  'etc/live/boot.conf',
  'lib/live/boot',
  'usr/lib/live/boot',
  'etc/udev/rules.d',
  'etc/mdadm',
  'etc/lvm',
];

/** What the squashfs stage puts into the upper layer's cache entry beside the squashfs. */
export interface BootFiles {
  vmlinuz: string;
  initrd: string;
  /** The final tree's package manifest. */
  packagesTsv: string;
}

declare module '../pipeline/context.js' {
  interface Products {
    /** The kernel, initrd and package list of the tree just made (undefined: the upper layer was cached). */
    bootFiles: BootFiles | undefined;
  }
}

export const initramfsStage: Stage = {
  name: 'initramfs',
  title: 'Check the live-boot initramfs',
  needs: ['baseTree', 'upperLayer'],
  produces: ['bootFiles'],
  // Its inputs are the other upper-layer stages' outputs: no key part of its own.
  upperLayer: { keyPart: async () => ({}) },
  async run(ctx) {
    const tree = ctx.tree;
    if (!tree) {
      ctx.set('bootFiles', undefined);
      return { cache: 'hit', detail: 'upper layer unchanged' };
    }
    const kver = ctx.get('baseTree').kernelVersion;
    const changed = await changedInputs(tree.upperDir);
    // A base tree bootstrapped for a profile that initramfsDeferred() holds has no initrd: made here, once.
    const missing = !existsSync(path.join(tree.root, 'boot', `initrd.img-${kver}`));
    if (changed.length || missing) {
      await tree.chroot.run(['update-initramfs', missing ? '-c' : '-u', '-k', kver], { label: 'update-initramfs' });
    }
    const listing = (await tree.chroot.run(['lsinitramfs', `/boot/initrd.img-${kver}`], { label: 'lsinitramfs' })).stdout;
    if (!listing.split('\n').some((l) => l === 'scripts/live' || l === 'usr/lib/live/boot' || l.startsWith('lib/live/boot'))) {
      throw new UserError(`the initramfs for ${kver} has no live-boot: add "live-boot" to the profile's packages`);
    }
    ctx.set('bootFiles', await takeBootFiles(ctx.work('boot-files'), tree.root, kver));
    const why = `changed: ${changed.join(', ') || 'nothing'}`;
    if (missing) return { cache: 'miss', detail: `generated once, here: the bootstrap made none (${why})` };
    return changed.length ? { cache: 'miss', detail: `regenerated (${why})` } : { cache: 'hit', detail: 'base initrd is current' };
  },
};

/** The last upper-layer stage keeps what the ISO boots before the pipeline unmounts the tree. */
async function takeBootFiles(dir: string, root: string, kver: string): Promise<BootFiles> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const files = { vmlinuz: path.join(dir, 'vmlinuz'), initrd: path.join(dir, 'initrd.img'), packagesTsv: path.join(dir, 'packages.tsv') };
  await copyFile(path.join(root, 'boot', `vmlinuz-${kver}`), files.vmlinuz);
  await copyFile(path.join(root, 'boot', `initrd.img-${kver}`), files.initrd);
  await writeFile(files.packagesTsv, await listPackages(root));
  return files;
}

/** Which initramfs inputs the upper layer touched (it holds only what this build changed). */
export async function changedInputs(upperDir: string): Promise<string[]> {
  return inputsIn(upperDir);
}

/** The INITRAMFS_INPUTS present (a file, or a folder with anything in it) under `dir`. */
function inputsIn(dir: string): string[] {
  const found: string[] = [];
  for (const rel of INITRAMFS_INPUTS) {
    const p = path.join(dir, rel);
    if (!existsSync(p)) continue;
    try {
      if (readdirSync(p).length === 0) continue;
    } catch {
      /* a file, not a folder: it counts */
    }
    found.push(rel);
  }
  return found;
}

/**
 * True when this stage will regenerate the initrd whatever the bootstrap made: an overlay folder
 * brings an initramfs input (the forensic overlay's initramfs hook, live-boot script, udev rules),
 * or the kernel section adds modules (depmod rewrites /lib/modules) or module lists. The bootstrap
 * then makes none (and says so in its cache key), so the initramfs is generated once per build.
 * Hooks cannot be foreseen: one that changes an input costs a second generation, as before.
 */
export function initramfsDeferred(p: Pick<Profile, 'overlays' | 'kernel'>): boolean {
  if (injectsModules(p.kernel) || p.kernel.blacklist.length || p.kernel.initramfs.length) return true;
  return p.overlays.some((o) => inputsIn(o.path).length > 0);
}
