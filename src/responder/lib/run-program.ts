// SPDX-License-Identifier: GPL-3.0-or-later
// Running a system program (mount, losetup, blockdev, ntfs-3g): argv arrays through execFile,
// never a shell, so a device or file name cannot be read as shell syntax. Never used on anything
// from the evidence: these are the live system's own tools.
import { execFile } from 'node:child_process';
import { ResponderError } from './errors.js';

export interface ProgramResult<Out = string> {
  stdout: Out;
  stderr: string;
}

export interface ProgramOptions {
  timeoutMs?: number;
  maxBuffer?: number;
}

export function runProgram(argv: string[], opts: ProgramOptions = {}): Promise<ProgramResult> {
  return run(argv, opts).then(({ stdout, stderr }) => ({ stdout: stdout.toString('utf8'), stderr }));
}

/** stdout as bytes: for output that carries evidence names (not UTF-8, any byte but NUL and "/"). */
export function runProgramBytes(argv: string[], opts: ProgramOptions = {}): Promise<ProgramResult<Buffer>> {
  return run(argv, opts);
}

function run(argv: string[], opts: ProgramOptions): Promise<ProgramResult<Buffer>> {
  return new Promise((resolve, reject) => {
    execFile(
      argv[0]!,
      argv.slice(1),
      { encoding: 'buffer', timeout: opts.timeoutMs ?? 120_000, maxBuffer: opts.maxBuffer ?? 1 << 20, env: { ...process.env, LC_ALL: 'C' } },
      (err, stdout, stderrBytes) => {
        const stderr = stderrBytes.toString('utf8');
        if (!err) return resolve({ stdout, stderr });
        const e = err as NodeJS.ErrnoException & { code?: unknown };
        if (e.code === 'ENOENT') return reject(programNotFound(argv[0]!));
        const firstLine = (stderr || stdout.toString('utf8') || e.message).trim().split('\n')[0];
        reject(new ResponderError(`${argv.join(' ')} failed: ${firstLine}`));
      },
    );
  });
}

/** "PROGRAM: program not found", with the Debian package that has it as the hint. */
export function programNotFound(program: string): ResponderError {
  return new ResponderError(`${program}: program not found`, 1, `install it (Debian package: ${PACKAGE_OF[program.slice(program.lastIndexOf('/') + 1)] ?? 'util-linux'})`);
}

const PACKAGE_OF: Record<string, string> = {
  fls: 'sleuthkit',
  icat: 'sleuthkit',
  journalctl: 'systemd',
  getcap: 'libcap2-bin',
  mount: 'mount',
  umount: 'mount',
  losetup: 'mount',
  blockdev: 'util-linux',
  'ntfs-3g': 'ntfs-3g',
  ewfmount: 'ewf-tools',
  loadkeys: 'kbd',
  udhcpc: 'udhcpc',
  sgdisk: 'gdisk',
  'mkfs.ext4': 'e2fsprogs',
};
