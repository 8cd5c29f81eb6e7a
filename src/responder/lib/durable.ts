// SPDX-License-Identifier: GPL-3.0-or-later
// Writing so that a power cut or a Ctrl-C never leaves a half-written file under its final name:
// new files are created exclusively (O_EXCL), fsynced, and moved into place atomically; the folder
// is fsynced too, so the rename itself is on the medium before a command reports success.
import { constants, promises as fsp } from 'node:fs';
import path from 'node:path';
import { ResponderError, describeSystemError } from './errors.js';

/** fsync a folder: makes the creation, rename or removal of its entries durable. */
export async function syncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, constants.O_RDONLY | constants.O_DIRECTORY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Create a new file (fails with EEXIST if anything is there), write it whole, fsync it and its folder. */
export async function createExclusive(file: string, data: string | Buffer, mode = 0o640): Promise<void> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(file, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new ResponderError(`refusing to overwrite ${file}: it already exists`, 1, 'choose another path; responder never overwrites a record');
    throw describeSystemError(err, file);
  }
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await syncDir(path.dirname(file));
}

/** Replace FILE's content atomically: FILE.tmp-PID written and fsynced, then renamed over FILE. */
export async function replaceAtomically(file: string, data: string | Buffer, mode = 0o640): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  const fh = await fsp.open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, mode);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await fsp.rename(tmp, file);
  await syncDir(path.dirname(file));
}

/** Give a finished file its final name without ever replacing another file (link + unlink). */
export async function renameNoClobber(from: string, to: string): Promise<void> {
  const clash = () => new ResponderError(`refusing to overwrite ${to}: it appeared while the image was written`, 1, `the image stays at ${from}`);
  try {
    await fsp.link(from, to);
    await fsp.unlink(from);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw clash();
    // FAT and exFAT have no hard links: check, then rename (a narrow race, on a disk we own).
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw describeSystemError(err, to);
    if (
      await fsp.lstat(to).then(
        () => true,
        () => false,
      )
    )
      throw clash();
    await fsp.rename(from, to);
  }
  await syncDir(path.dirname(to));
}

/** fsync one existing file (an output a command is about to report). */
export async function syncFile(file: string): Promise<void> {
  const fh = await fsp.open(file, constants.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
