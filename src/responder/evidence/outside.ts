// SPDX-License-Identifier: GPL-3.0-or-later
// Nothing is ever written into the evidence: every output a command is given (a body file, a CSV,
// a download cache) is placed by real paths, so a symlink on either side (the output's folder, or
// ROOT given through a link) cannot put it inside the evidence tree.
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { ResponderError, UsageError } from '../lib/errors.js';

/** The real path of `p`: its nearest existing folder resolved (links followed), the rest as given. */
export function realPathOf(p: string): string {
  let cur = path.resolve(p);
  const rest: string[] = [];
  while (!existsSync(cur)) {
    rest.unshift(path.basename(cur));
    cur = path.dirname(cur);
  }
  return path.join(realpathSync(cur), ...rest);
}

/** `real` is the tree `realRoot` itself or below it (both real paths). */
export function isInsideTree(real: string, realRoot: string): boolean {
  return real === realRoot || real.startsWith(realRoot.endsWith('/') ? realRoot : realRoot + '/');
}

/** Refuse `p` (given with `flag`) when it is inside the evidence tree ROOT; its real path otherwise. */
export function outsideEvidence(p: string, root: string, flag: string): string {
  const real = realPathOf(p);
  if (isInsideTree(real, realpathSync(root)))
    throw new UsageError(`${flag} ${path.resolve(p)}: the output must not be inside the evidence tree ${root}`, 'write it outside the evidence (on the live system or a case disk)');
  return real;
}

/**
 * A new output file: outside the evidence tree ROOT (undefined for an image file: nothing can be
 * inside it) and not there yet (never overwritten). Returns its absolute path as given.
 */
export function newOutputOutside(file: string, root: string | undefined, flag: string): string {
  const abs = path.resolve(file);
  if (root !== undefined) outsideEvidence(abs, root, flag);
  if (existsSync(abs)) throw new ResponderError(`${abs} already exists; not overwriting it`, 1, `choose another ${flag} FILE`);
  return abs;
}
