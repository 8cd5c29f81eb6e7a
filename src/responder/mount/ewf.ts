// SPDX-License-Identifier: GPL-3.0-or-later
// E01 evidence for `responder mount`: libewf's ewfmount (FUSE, read-only by design) shows the
// set's media data as one raw file, which then takes the ordinary image path (partition table,
// file system probe, read-only loop device). The FUSE mount lives under /run/responder/ewf and is
// recorded with the mount, so `responder umount` takes it down after the loop device. ewfmount
// is given FUSE's "ro" too, so the kernel itself refuses writes to that view.
import { closeSync, mkdirSync, openSync, readSync, rmdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ResponderError } from '../lib/errors.js';
import { stateDir } from '../lib/state-dir.js';
import { runProgram } from '../lib/run-program.js';
import { SIGNATURE } from '../acquire/ewf/format.js';

/** By content, not by name: an E01 renamed .img is still an E01, a "case.E01" that is raw is raw. */
export function isEwfFile(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const b = Buffer.alloc(8);
    return readSync(fd, b, 0, 8, 0) === 8 && b.equals(SIGNATURE);
  } catch {
    return false; // a block device or unreadable file: not ours to decide here
  } finally {
    closeSync(fd);
  }
}

export interface EwfAttachment {
  /** The media data as one read-only raw file. */
  raw: string;
  fuseDir: string;
}

export async function attachEwf(file: string): Promise<EwfAttachment> {
  const fuseDir = path.join(stateDir(), 'ewf', `${path.basename(file).replace(/[^A-Za-z0-9._-]/g, '_')}-${randomBytes(4).toString('hex')}`);
  mkdirSync(fuseDir, { recursive: true, mode: 0o700 });
  try {
    await runProgram(['ewfmount', '-X', 'ro', file, fuseDir]);
  } catch (err) {
    rmdirSync(fuseDir);
    throw err; // runProgram's one line: "ewfmount: program not found (install ewf-tools)" or ewfmount's own
  }
  const raw = path.join(fuseDir, 'ewf1');
  if (!existsSync(raw)) {
    await detachEwf(fuseDir);
    throw new ResponderError(`ewfmount showed no media data for ${file}`);
  }
  return { raw, fuseDir };
}

export async function detachEwf(fuseDir: string): Promise<void> {
  await runProgram(['umount', fuseDir]);
  try {
    rmdirSync(fuseDir);
  } catch {
    /* already gone */
  }
}
