// SPDX-License-Identifier: GPL-3.0-or-later
// Cheap checks of the host: privileges, tools and their versions, loop devices, the cache folder.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { capture } from '../exec/run.js';
import { BUILD_REQUIREMENTS, onPath, type HostRequirement } from '../pipeline/preflight.js';
import type { CheckResult } from './types.js';

/** Tools beyond the build itself: booting ISOs for boot-test. */
export const BOOT_TEST_REQUIREMENTS: HostRequirement[] = [
  { what: 'qemu-system-x86_64', program: 'qemu-system-x86_64', pkg: 'qemu-system-x86' },
  { what: 'OVMF (UEFI firmware for QEMU)', file: '/usr/share/OVMF/OVMF_CODE_4M.fd', pkg: 'ovmf' },
  { what: 'OVMF with Microsoft keys (Secure Boot tests)', file: '/usr/share/OVMF/OVMF_CODE_4M.ms.fd', pkg: 'ovmf' },
];

const VERSION_ARGS: Record<string, string[]> = {
  mmdebstrap: ['--version'],
  mksquashfs: ['-version'],
  xorriso: ['-version'],
  'grub-mkimage': ['--version'],
  'qemu-system-x86_64': ['--version'],
};

export function privilegeCheck(uid = process.getuid?.() ?? 0): CheckResult {
  if (uid === 0) return { name: 'privileges', status: 'ok', detail: 'running as root' };
  const userns = readText('/proc/sys/kernel/unprivileged_userns_clone') ?? readText('/proc/sys/user/max_user_namespaces');
  return {
    name: 'privileges',
    status: 'fail',
    detail: `running as uid ${uid}; builds need root (mmdebstrap root mode, overlay and chroot mounts)${userns && userns !== '0' ? '; user namespaces are enabled, which the container runner can use' : ''}`,
    fix: 'run with sudo, or use --container with docker or podman',
  };
}

export async function toolChecks(reqs: HostRequirement[] = [...BUILD_REQUIREMENTS, ...BOOT_TEST_REQUIREMENTS]): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const r of reqs) {
    const present = r.program ? onPath(r.program) : existsSync(r.file!);
    const name = `tool: ${r.what}`;
    if (!present) {
      const forBoot = BOOT_TEST_REQUIREMENTS.includes(r);
      results.push({ name, status: forBoot ? 'warn' : 'fail', detail: `missing${forBoot ? ' (needed for boot-test only)' : ''}`, fix: `apt-get install --no-install-recommends ${r.pkg}` });
      continue;
    }
    const args = r.program ? VERSION_ARGS[r.program] : undefined;
    const version = args ? firstLine(await capture([r.program!, ...args]).catch(() => '')) : (r.file ?? r.program!);
    results.push({ name, status: 'ok', detail: version || 'present' });
  }
  return results;
}

export function loopCheck(): CheckResult {
  if (!existsSync('/dev/loop-control')) {
    return {
      name: 'loop devices',
      status: 'warn',
      detail: 'no /dev/loop-control: responder mount of image files and some tests need loop devices',
      fix: 'modprobe loop (or run the container with --privileged)',
    };
  }
  return { name: 'loop devices', status: 'ok', detail: '/dev/loop-control present' };
}

export async function cacheWritableCheck(cacheDir: string): Promise<CheckResult> {
  try {
    await mkdir(cacheDir, { recursive: true });
    const probe = path.join(cacheDir, `.doctor-${process.pid}`);
    await writeFile(probe, 'ok');
    await rm(probe);
    accessSync(cacheDir, constants.W_OK);
    return { name: 'cache folder', status: 'ok', detail: `${cacheDir} is writable` };
  } catch (err) {
    return { name: 'cache folder', status: 'fail', detail: `${cacheDir}: ${(err as Error).message}`, fix: `use --cache DIR with a writable folder, or fix the permissions of ${cacheDir}` };
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
}

function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? ''
  );
}
