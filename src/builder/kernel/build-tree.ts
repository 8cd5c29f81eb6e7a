// SPDX-License-Identifier: GPL-3.0-or-later
// The throwaway tree modules are built in: an overlayfs whose lower layer is the cached base tree
// (never modified) and whose upper directory is discarded afterwards, so the headers, dkms, the
// compiler and the DKMS packages never reach the image. The headers are pinned to the exact
// version of the image's kernel package, from the image's own (signed) apt sources.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../pipeline/context.js';
import { Chroot } from '../exec/chroot.js';
import { mount, unmountAllBelow } from '../exec/mounts.js';
import type { ModulePlan } from './plan.js';

/** dkms must neither build on package install (we say which kernel) nor sign with a key it makes up. */
const DKMS_CONFIG = '# forensic-live build tree: build-live signs with the profile\'s key (kernel.signing)\nsign_file="/nonexistent/forensic-live-signs-itself"\n';

export interface BuildTree {
  root: string;
  chroot: Chroot;
}

/** Run `fn` in a fresh build tree with the tool chain installed; the tree is removed on every exit path. */
export async function withBuildTree<T>(ctx: BuildContext, plan: ModulePlan, fn: (tree: BuildTree) => Promise<T>): Promise<T> {
  const base = ctx.work('kernel-build');
  const [root, upper, work] = ['root', 'upper', 'work'].map((d) => path.join(base, d)) as [string, string, string];
  await unmountAllBelow(base);
  await rm(base, { recursive: true, force: true });
  for (const d of [root, upper, work]) await mkdir(d, { recursive: true });
  const removeTree = ctx.cleanup.push('remove the module build tree', () => rm(base, { recursive: true, force: true }));
  const lower = path.join(ctx.get('baseTree').entry, 'root');
  const unmount = await mount(ctx.cleanup, { type: 'overlay', source: 'overlay', target: root, options: [`lowerdir=${lower}`, `upperdir=${upper}`, `workdir=${work}`] });
  let chroot: Chroot | undefined;
  try {
    chroot = await Chroot.enter(root, ctx.cleanup);
    await installToolchain(root, chroot, plan);
    return await fn({ root, chroot });
  } finally {
    await chroot?.leave();
    await unmount();
    await removeTree();
  }
}

async function installToolchain(root: string, chroot: Chroot, plan: ModulePlan): Promise<void> {
  await mkdir(path.join(root, 'etc/dkms/framework.conf.d'), { recursive: true });
  await writeFile(path.join(root, 'etc/dkms/no-autoinstall'), '');
  await writeFile(path.join(root, 'etc/dkms/framework.conf.d/forensic-live.conf'), DKMS_CONFIG);
  await chroot.run(['apt-get', 'update'], { label: 'kernel-build:apt' });
  const packages = [`linux-headers-${plan.kernelVersion}=${plan.kernelPackageVersion}`, 'make', 'gcc'];
  if (plan.dkms.length) packages.push('dkms', ...plan.dkms.map((d) => `${d.package}=${d.version}`));
  // No fsync for every unpacked file: the tree is thrown away (signatures are checked as always).
  await chroot.run(['apt-get', 'install', '--yes', '--no-install-recommends', '-o', 'DPkg::Options::=--force-unsafe-io', ...packages], { label: 'kernel-build:apt' });
}
