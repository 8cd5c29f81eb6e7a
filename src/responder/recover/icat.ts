// SPDX-License-Identifier: GPL-3.0-or-later
// A file's content by inode, deleted or not, with The Sleuth Kit: `icat -r -o SECTORS IMAGE INODE`
// (-r: recover what it can of a deleted file's blocks), streamed into a new file (never over an
// existing one) while its sha256 is computed. The evidence is only read.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { ResponderError } from '../lib/errors.js';
import { SECTOR } from './fls.js';

/** Inode addresses as TSK takes them: 12, or NTFS's 64-128-2 (MFT entry, attribute type, id). */
export const INODE = /^\d{1,20}(-\d{1,10}(-\d{1,10})?)?$/;

export function icatArgv(image: string, offsetBytes: number, inode: string): string[] {
  return ['icat', '-r', '-o', String(offsetBytes / SECTOR), image, inode];
}

export function recoverInode(image: string, offsetBytes: number, inode: string, outFile: string): Promise<{ bytes: number; sha256: string }> {
  if (!INODE.test(inode)) return Promise.reject(new ResponderError(`not an inode address: "${inode}"`, 2));
  const fd = openSync(outFile, 'wx', 0o600);
  const hash = createHash('sha256');
  let bytes = 0;
  let stderr = '';
  return new Promise((resolve, reject) => {
    const argv = icatArgv(image, offsetBytes, inode);
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    const fail = (err: Error) => {
      closeSync(fd);
      unlinkSync(outFile); // nothing half-written is left behind
      reject(err);
    };
    child.stdout.on('data', (d: Buffer) => {
      writeSync(fd, d);
      hash.update(d);
      bytes += d.length;
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString('utf8');
    });
    child.on('error', (err: NodeJS.ErrnoException) => fail(err.code === 'ENOENT' ? new ResponderError('icat: program not found', 1, 'install it (Debian package: sleuthkit)') : err));
    child.on('close', (code) => {
      if (code !== 0) return fail(new ResponderError(`icat could not read inode ${inode}: ${stderr.trim().split('\n')[0] || `exit code ${code}`}`));
      closeSync(fd);
      resolve({ bytes, sha256: hash.digest('hex') });
    });
  });
}
