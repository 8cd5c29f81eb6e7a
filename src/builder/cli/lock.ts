// SPDX-License-Identifier: GPL-3.0-or-later
// One build per profile and work folder at a time: two builds sharing an overlay upper dir would
// corrupt each other. The lock is a directory (mkdir is atomic) holding the owner's pid.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';

export async function acquireLock(workRoot: string, name: string): Promise<() => Promise<void>> {
  await mkdir(workRoot, { recursive: true });
  const dir = path.join(workRoot, `${name}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await mkdir(dir);
      await writeFile(path.join(dir, 'pid'), `${process.pid}\n`);
      return () => rm(dir, { recursive: true, force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(path.join(dir, 'pid'), 'utf8').catch(() => '')).trim());
      if (pid && pid !== process.pid && alive(pid)) {
        throw new UserError(`another build of profile "${name}" is running (pid ${pid})`, `wait for it, or use another --work folder`);
      }
      await rm(dir, { recursive: true, force: true }); // left by a build that was killed
    }
  }
  throw new UserError(`could not lock ${dir}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
