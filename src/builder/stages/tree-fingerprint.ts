// SPDX-License-Identifier: GPL-3.0-or-later
// A content hash of a folder (paths, types, modes, contents, link targets), used in cache keys so
// that changing one overlay file rebuilds the upper layer and nothing else.
import { createHash } from 'node:crypto';
import { lstat, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { fileSha256 } from '../../shared/hash.js';

export async function treeFingerprint(dir: string): Promise<string> {
  const hash = createHash('sha256');
  await walk(dir, '', hash);
  return hash.digest('hex');
}

async function walk(root: string, rel: string, hash: ReturnType<typeof createHash>): Promise<void> {
  const names = (await readdir(path.join(root, rel))).sort();
  for (const name of names) {
    const relPath = rel ? `${rel}/${name}` : name;
    const full = path.join(root, relPath);
    const st = await lstat(full);
    const mode = (st.mode & 0o7777).toString(8);
    if (st.isSymbolicLink()) {
      hash.update(`L ${relPath} ${await readlink(full)}\n`);
    } else if (st.isDirectory()) {
      hash.update(`D ${relPath} ${mode}\n`);
      await walk(root, relPath, hash);
    } else if (st.isFile()) {
      hash.update(`F ${relPath} ${mode} ${st.size} ${await fileSha256(full)}\n`);
    } else {
      hash.update(`O ${relPath} ${mode} ${st.rdev}\n`);
    }
  }
}
