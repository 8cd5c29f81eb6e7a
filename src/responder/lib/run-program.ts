// SPDX-License-Identifier: GPL-3.0-or-later
// Running a system program (mount, losetup, blockdev, ntfs-3g): argv arrays through execFile,
// never a shell, so a device or file name cannot be read as shell syntax. Never used on anything
// from the evidence: these are the live system's own tools.
import { execFile } from 'node:child_process';
import { ResponderError } from './errors.js';

export interface ProgramResult {
  stdout: string;
  stderr: string;
}

export function runProgram(argv: string[], opts: { timeoutMs?: number; maxBuffer?: number } = {}): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    execFile(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: opts.timeoutMs ?? 120_000, maxBuffer: opts.maxBuffer ?? 1 << 20, env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      if (!err) return resolve({ stdout, stderr });
      const e = err as NodeJS.ErrnoException & { code?: unknown };
      if (e.code === 'ENOENT') return reject(new ResponderError(`${argv[0]}: program not found`, 1, `install it (Debian package: ${PACKAGE_OF[argv[0]!] ?? 'util-linux'})`));
      const firstLine = (stderr || stdout || e.message).trim().split('\n')[0];
      reject(new ResponderError(`${argv.join(' ')} failed: ${firstLine}`));
    });
  });
}

const PACKAGE_OF: Record<string, string> = { getcap: 'libcap2-bin', mount: 'mount', umount: 'mount', losetup: 'mount', blockdev: 'util-linux', 'ntfs-3g': 'ntfs-3g', ewfmount: 'ewf-tools', loadkeys: 'kbd', udhcpc: 'udhcpc', sgdisk: 'gdisk', 'mkfs.ext4': 'e2fsprogs' };
