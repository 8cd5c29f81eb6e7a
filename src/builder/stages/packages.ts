// SPDX-License-Identifier: GPL-3.0-or-later
// The image's package manifest, read from the tree's dpkg database by the host's dpkg-query
// (nothing inside the image is executed for this).
import path from 'node:path';
import { capture } from '../exec/run.js';

/** One line per installed package: name, version, architecture (tab-separated, sorted). */
export async function listPackages(root: string): Promise<string> {
  const out = await capture(['dpkg-query', `--admindir=${path.join(root, 'var/lib/dpkg')}`, '--show', '--showformat=${db:Status-Status}\t${Package}\t${Version}\t${Architecture}\n']);
  const lines = out
    .split('\n')
    .filter((l) => l.startsWith('installed\t'))
    .map((l) => l.slice('installed\t'.length))
    .sort();
  return lines.join('\n') + '\n';
}
