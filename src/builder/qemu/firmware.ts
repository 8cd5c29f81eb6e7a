// SPDX-License-Identifier: GPL-3.0-or-later
// Finds the host programs and firmware files a boot test needs, and says which Debian package
// provides them when they are missing (the usual first-run problem on a fresh host).
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { UserError } from '../errors.js';

export interface OvmfFiles {
  code: string;
  vars: string;
}

/** Candidate code/vars pairs, best first: Debian's 4M build, then the older 2M one, then Fedora's. */
export const OVMF_CANDIDATES: readonly OvmfFiles[] = [
  { code: '/usr/share/OVMF/OVMF_CODE_4M.fd', vars: '/usr/share/OVMF/OVMF_VARS_4M.fd' },
  { code: '/usr/share/OVMF/OVMF_CODE.fd', vars: '/usr/share/OVMF/OVMF_VARS.fd' },
  { code: '/usr/share/edk2/ovmf/OVMF_CODE.fd', vars: '/usr/share/edk2/ovmf/OVMF_VARS.fd' },
];

/** Secure Boot variants with Microsoft's keys enrolled (for a later signed-chain test). */
export const OVMF_SECURE_BOOT_CANDIDATES: readonly OvmfFiles[] = [{ code: '/usr/share/OVMF/OVMF_CODE_4M.ms.fd', vars: '/usr/share/OVMF/OVMF_VARS_4M.ms.fd' }];

export const QEMU_PROGRAM = 'qemu-system-x86_64';

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function findOvmf(opts: { secureBoot?: boolean; candidates?: readonly OvmfFiles[] } = {}): OvmfFiles {
  const candidates = opts.candidates ?? (opts.secureBoot ? OVMF_SECURE_BOOT_CANDIDATES : OVMF_CANDIDATES);
  const found = candidates.find((c) => isFile(c.code) && isFile(c.vars));
  if (found) return found;
  throw new UserError(`UEFI firmware (OVMF) not found: looked for ${candidates.map((c) => c.code).join(', ')}`, 'install it: apt-get install ovmf');
}

/** Looks a program up on PATH like a shell would, without running one. */
export function findOnPath(program: string, pathVar = process.env.PATH ?? ''): string | undefined {
  if (program.includes('/')) return isExecutable(program) ? program : undefined;
  for (const dir of pathVar.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export function findQemu(program = QEMU_PROGRAM): string {
  const found = findOnPath(program);
  if (found) return found;
  throw new UserError(`${program} not found on PATH`, 'install it: apt-get install qemu-system-x86');
}
