// SPDX-License-Identifier: GPL-3.0-or-later
// Follows `extends` from a profile file to its root ancestor, reporting missing parents (with a
// did-you-mean hint) and cycles (naming the whole loop).
import path from 'node:path';
import { didYouMean } from './did-you-mean.js';
import { entriesOf, isFile, isPathRef, profileNamesIn, profilePath } from './paths.js';
import { displayPath, type SourceFile } from './positions.js';
import type { Problems } from './problems.js';
import { readSourceFile } from './source.js';

/** The files of the chain, child first. Stops at the first file that cannot be read or parsed. */
export async function loadChain(abs: string, repoRoot: string, problems: Problems): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for (let current: string | undefined = abs; current !== undefined; ) {
    const file = await readSourceFile(current, problems);
    if (!file) break;
    files.push(file);
    current = parentOf(file, files, repoRoot, problems);
  }
  return files;
}

function parentOf(file: SourceFile, chain: SourceFile[], repoRoot: string, problems: Problems): string | undefined {
  const ref = file.data.extends;
  // Wrong types are the schema's to report; here only a usable reference matters.
  if (typeof ref !== 'string' || ref === '') return undefined;
  const parent = profilePath(ref, path.dirname(file.abs), repoRoot);
  const seen = chain.findIndex((f) => f.abs === parent);
  if (seen >= 0) {
    const loop = [...chain.slice(seen), chain[seen]!].map((f) => path.basename(f.abs));
    problems.at(file, ['extends'], `cycle: ${loop.join(' -> ')}`);
    return undefined;
  }
  if (!isFile(parent)) {
    problems.at(file, ['extends'], `${missingProfileMessage(ref, parent)}`);
    return undefined;
  }
  return parent;
}

/** `'basee': no profile profiles/basee.yaml (did you mean 'base'?)` */
export function missingProfileMessage(ref: string, abs: string): string {
  const dir = path.dirname(abs);
  const hint = isPathRef(ref)
    ? didYouMean(
        path.basename(abs),
        entriesOf(dir, (name, isDir) => !isDir && /\.ya?ml$/.test(name)),
      )
    : didYouMean(ref, profileNamesIn(dir));
  return `'${ref}': no profile ${displayPath(abs)}${hint}`;
}
