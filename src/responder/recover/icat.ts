// SPDX-License-Identifier: GPL-3.0-or-later
// A file's content by inode, deleted or not, with The Sleuth Kit: `icat -r -o SECTORS IMAGE INODE`
// (-r: recover what it can of a deleted file's blocks), streamed into a new file (never over an
// existing one) while its sha256 is computed. The evidence is only read.
import { createHash } from 'node:crypto';
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { ResponderError } from '../lib/errors.js';
import { spawnStream } from '../lib/spawn-lines.js';
import { SECTOR } from './fls.js';

/** Inode addresses as TSK takes them: 12, or NTFS's 64-128-2 (MFT entry, attribute type, id). */
export const INODE = /^\d{1,20}(-\d{1,10}(-\d{1,10})?)?$/;

export function icatArgv(image: string, offsetBytes: number, inode: string): string[] {
  return ['icat', '-r', '-o', String(offsetBytes / SECTOR), image, inode];
}

export async function recoverInode(image: string, offsetBytes: number, inode: string, outFile: string): Promise<{ bytes: number; sha256: string }> {
  if (!INODE.test(inode)) throw new ResponderError(`not an inode address: "${inode}"`, 2);
  const fd = openSync(outFile, 'wx', 0o600);
  const hash = createHash('sha256');
  let bytes = 0;
  let done = false;
  try {
    const { code, stderr } = await spawnStream(icatArgv(image, offsetBytes, inode), (d) => {
      writeSync(fd, d);
      hash.update(d);
      bytes += d.length;
    });
    if (code !== 0) throw new ResponderError(`icat could not read inode ${inode}: ${stderr.trim().split('\n')[0] || `exit code ${code}`}`);
    done = true;
  } finally {
    closeSync(fd);
    if (!done) unlinkSync(outFile); // nothing half-written is left behind
  }
  return { bytes, sha256: hash.digest('hex') };
}
