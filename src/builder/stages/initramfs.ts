// SPDX-License-Identifier: GPL-3.0-or-later
// Stage 4: make sure the initrd the ISO boots is current: regenerate it when the upper layer
// changed anything the initramfs is made from, and check it carries live-boot either way.
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Stage } from '../pipeline/stage.js';
import { UserError } from '../errors.js';

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

export const initramfsStage: Stage = {
  name: 'initramfs',
  title: 'Check the live-boot initramfs',
  async run(ctx) {
    const chroot = ctx.state.chroot;
    if (!chroot) return { cache: 'hit', detail: 'upper layer unchanged' };
    const kver = ctx.state.kernelVersion!;
    const changed = await changedInputs(ctx.state.upperDir!);
    if (changed.length) {
      await chroot.run(['update-initramfs', '-u', '-k', kver], { label: 'update-initramfs' });
    }
    const listing = (await chroot.run(['lsinitramfs', `/boot/initrd.img-${kver}`], { label: 'lsinitramfs' })).stdout;
    if (!listing.split('\n').some((l) => l === 'scripts/live' || l === 'usr/lib/live/boot' || l.startsWith('lib/live/boot'))) {
      throw new UserError(`the initramfs for ${kver} has no live-boot: add "live-boot" to the profile's packages`);
    }
    return changed.length
      ? { cache: 'miss', detail: `regenerated (changed: ${changed.join(', ')})` }
      : { cache: 'hit', detail: 'base initrd is current' };
  },
};

/** Which initramfs inputs the upper layer touched (it holds only what this build changed). */
export async function changedInputs(upperDir: string): Promise<string[]> {
  const changed: string[] = [];
  for (const rel of INITRAMFS_INPUTS) {
    const p = path.join(upperDir, rel);
    if (!existsSync(p)) continue;
    try {
      if ((await readdir(p)).length === 0) continue;
    } catch {
      /* a file, not a folder: it changed */
    }
    changed.push(rel);
  }
  return changed;
}
