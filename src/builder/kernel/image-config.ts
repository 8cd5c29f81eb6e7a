// SPDX-License-Identifier: GPL-3.0-or-later
// The image side of the kernel section: depmod after modules were added, and the files that say
// which modules load at boot, which never load by themselves, and which go into the initramfs.
// Every module named there must be known to the image's kernel after depmod (modinfo -k checks).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../pipeline/context.js';
import type { Chroot } from '../exec/chroot.js';
import { UserError } from '../errors.js';

export const LOAD_FILE = 'etc/modules-load.d/forensic-live.conf';
export const BLACKLIST_FILE = 'etc/modprobe.d/forensic-live-blacklist.conf';
export const INITRAMFS_FILE = 'usr/share/initramfs-tools/modules.d/forensic-live';

const HEADER = "# Written by build-live from the profile's kernel section.\n";

export async function installConfig(ctx: BuildContext, chroot: Chroot, root: string, modulesAdded: boolean): Promise<void> {
  const k = ctx.profile.kernel;
  const kver = ctx.get('baseTree').kernelVersion;
  if (modulesAdded) await chroot.run(['depmod', '--all', kver], { label: 'depmod' });
  for (const name of [...k.load, ...k.initramfs]) {
    const r = await chroot.run(['modinfo', '-k', kver, '-F', 'filename', name], { label: 'modinfo', allowFailure: true });
    if (r.exitCode !== 0)
      throw new UserError(
        `kernel: module '${name}' (kernel.load or kernel.initramfs) is not a module of kernel ${kver} in the image`,
        'check the name (modinfo NAME), or add its source to kernel.dkms, kernel.sources or kernel.prebuilt',
      );
  }
  await writeList(
    root,
    LOAD_FILE,
    k.load.map((m) => `${m}\n`),
  );
  await writeList(
    root,
    BLACKLIST_FILE,
    k.blacklist.map((m) => `blacklist ${m}\n`),
  );
  await writeList(
    root,
    INITRAMFS_FILE,
    k.initramfs.map((m) => `${m}\n`),
  );
}

async function writeList(root: string, rel: string, lines: string[]): Promise<void> {
  if (!lines.length) return;
  const file = path.join(root, rel);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, HEADER + lines.join(''), { mode: 0o644 });
}
