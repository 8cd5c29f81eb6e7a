// SPDX-License-Identifier: GPL-3.0-or-later
// The image tree the upper-layer stages write into: an overlayfs over the cached base tree (never
// modified) with this build's changes in a small upper directory, and a chroot session in it.
// Opened and closed by the pipeline only; every mount is on the cleanup stack from the moment it
// exists, so a failure or Ctrl-C at any stage unwinds it.
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { CleanupStack } from '../exec/cleanup.js';
import { Chroot } from '../exec/chroot.js';
import { mount, unmountAllBelow } from '../exec/mounts.js';

export interface ImageTree {
  /** The merged tree (what the image will hold). */
  root: string;
  /** This build's changes only: what becomes the upper squashfs. */
  upperDir: string;
  chroot: Chroot;
}

export interface OpenedTree {
  tree: ImageTree;
  /** Leave the chroot, then unmount the overlay (idempotent; also on the cleanup stack). */
  close(): Promise<void>;
}

export async function openImageTree(workDir: string, lowerRoot: string, cleanup: CleanupStack): Promise<OpenedTree> {
  const merged = path.join(workDir, 'rootfs');
  const upper = path.join(workDir, 'upper');
  const workdir = path.join(workDir, 'overlay-work');
  await unmountAllBelow(workDir);
  for (const d of [merged, upper, workdir]) {
    await rm(d, { recursive: true, force: true });
    await mkdir(d, { recursive: true });
  }
  const unmountOverlay = await mount(cleanup, {
    type: 'overlay',
    source: 'overlay',
    target: merged,
    options: [`lowerdir=${lowerRoot}`, `upperdir=${upper}`, `workdir=${workdir}`],
  });
  const chroot = await Chroot.enter(merged, cleanup);
  const leave = cleanup.push('leave chroot', () => chroot.leave());
  return {
    tree: { root: merged, upperDir: upper, chroot },
    async close() {
      await leave();
      await unmountOverlay();
    },
  };
}
