// SPDX-License-Identifier: GPL-3.0-or-later
// A resolved SOURCE as a read-only block device, for `responder mount` and `responder unlock`:
// a real device is set read-only (with its whole disk), an image file or a partition the kernel
// does not know gets a read-only loop device (--offset/--sizelimit for a partition).
import { ResponderError } from '../lib/errors.js';
import { runProgram } from '../lib/run-program.js';
import { deviceByNumber } from '../disk/sysfs.js';
import type { ResolvedSource } from './source.js';

export interface Attached {
  device: string;
  /** The loop device attached here, for the caller to detach. */
  loopDevice?: string;
}

/** `file`: what the loop device reads when it is not src.path (an E01's FUSE view). */
export async function attachReadOnly(src: ResolvedSource, file: string = src.path): Promise<Attached> {
  if (src.kind === 'block device') {
    // The whole disk too when SOURCE is a partition: the kernel refuses writes to every
    // partition of a read-only disk, so a later mistake on a sibling partition cannot write.
    const parent = deviceByNumber(src.devno!)?.partition?.parent;
    if (parent) await runProgram(['blockdev', '--setro', `/dev/${parent}`]);
    await runProgram(['blockdev', '--setro', src.path]);
  }
  if (src.kind === 'block device' && (src.device || !src.partition)) {
    const device = src.device ?? src.path;
    await runProgram(['blockdev', '--setro', device]);
    return { device };
  }
  const args = ['losetup', '--find', '--show', '--read-only'];
  if (src.partition) args.push('--offset', String(src.offset), '--sizelimit', String(src.size));
  const loop = (await runProgram([...args, file])).stdout.trim();
  if (!/^\/dev\/loop\d+$/.test(loop)) throw new ResponderError(`losetup printed no loop device ("${loop}")`);
  // No blockdev --setro on the loop device: --read-only already makes it read-only, and the
  // setro flag would outlive the detach and make the next user's loop device read-only.
  return { device: loop, loopDevice: loop };
}
