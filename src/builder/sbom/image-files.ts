// SPDX-License-Identifier: GPL-3.0-or-later
// The regular files of a folder copied into the image (an overlay), each with its path in the
// image and its sha256, sorted by path. Symbolic links and special files carry no content of their
// own and are left out.
import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileSha256 } from '../../shared/hash.js';
import type { ImageFile } from './types.js';

export async function imageFiles(dir: string): Promise<ImageFile[]> {
  const out: ImageFile[] = [];
  await walk(dir, '', out);
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function walk(root: string, rel: string, out: ImageFile[]): Promise<void> {
  for (const name of await readdir(path.join(root, rel))) {
    const relPath = rel ? `${rel}/${name}` : name;
    const full = path.join(root, relPath);
    const st = await lstat(full);
    if (st.isDirectory()) await walk(root, relPath, out);
    else if (st.isFile()) out.push({ path: `/${relPath}`, sha256: await fileSha256(full) });
  }
}
