// SPDX-License-Identifier: GPL-3.0-or-later
// A file system whose driver is not part of Debian's kernel (APFS: the out-of-tree apfs module,
// built by the image's build from apfs-dkms) is checked before anything is attached, so a missing
// or refused module is one clear line instead of "mount: unknown filesystem type".
import { readFileSync } from 'node:fs';
import { ResponderError } from '../lib/errors.js';
import { runProgram } from '../lib/run-program.js';

export interface DriverDeps {
  /** The text of /proc/filesystems. */
  filesystems(): string;
  /** Loads a module; rejects with the error modprobe printed. */
  modprobe(module: string): Promise<unknown>;
}

const defaultDeps: DriverDeps = {
  filesystems: () => {
    try {
      return readFileSync('/proc/filesystems', 'latin1');
    } catch {
      return '';
    }
  },
  modprobe: (module) => runProgram(['modprobe', module]),
};

/** "nodev\tsysfs" / "\text4" lines: is `fstype` registered with the kernel? */
export function filesystemRegistered(procFilesystems: string, fstype: string): boolean {
  return procFilesystems.split('\n').some((line) => line.split('\t').pop()?.trim() === fstype);
}

/** Makes sure the kernel can mount `fstype`, loading `module` if needed; a ResponderError if not. */
export async function ensureFilesystemDriver(fstype: string, module: string, deps: DriverDeps = defaultDeps): Promise<void> {
  if (filesystemRegistered(deps.filesystems(), fstype)) return;
  let why = '';
  try {
    await deps.modprobe(module);
  } catch (err) {
    why = (err instanceof Error ? err.message : String(err)).replace(/^modprobe \S+ failed: /, '');
  }
  if (!why && filesystemRegistered(deps.filesystems(), fstype)) return;
  why ||= `modprobe ${module} succeeded but the kernel lists no "${fstype}" file system`;
  throw new ResponderError(`the ${module} kernel module is not available on this system: ${why}`, 1, moduleHint(module, why));
}

function moduleHint(module: string, why: string): string {
  // Lockdown (Secure Boot) refuses unsigned modules: "Key was rejected by service" (EKEYREJECTED)
  // or "Operation not permitted", depending on the kernel's module signature settings.
  if (/key was rejected|required key not available|operation not permitted/i.test(why)) {
    return `Secure Boot is probably on: the ${module} module is unsigned or signed with a key the machine does not trust; use an image whose build signed it with an enrolled key, or acquire the disk and examine the copy elsewhere`;
  }
  return `the forensic image builds it from apfs-dkms for its own kernel; on another system install ${module === 'apfs' ? 'apfs-dkms and the headers of the running kernel' : `the ${module} module`}, or acquire the disk and examine the copy elsewhere`;
}
