// SPDX-License-Identifier: GPL-3.0-or-later
// mksquashfs command lines for the two layers (pure, tested without building anything).
import type { Profile } from '../profile/index.js';

/** Never part of a layer: the kernel and initrd live next to the layers on the ISO, and scratch dirs stay empty. */
export const LAYER_EXCLUDES = ['boot/*', 'tmp/*', 'var/tmp/*', 'run/*', 'proc/*', 'sys/*', 'dev/*', 'var/cache/apt/archives/*.deb', 'var/cache/apt/*.bin', 'var/lib/apt/lists/*'];

export function mksquashfsArgv(p: Profile, source: string, output: string, sourceDateEpoch?: number): string[] {
  const sq = p.squashfs;
  // The progress bar stays on (redrawn with carriage returns): the stage shows it on its task line.
  const argv = ['mksquashfs', source, output, '-noappend', '-comp', sq.compression];
  // Every inode and the superblock get the build's timestamp: the layer depends only on content.
  if (sourceDateEpoch !== undefined) argv.push('-mkfs-time', String(sourceDateEpoch), '-all-time', String(sourceDateEpoch));
  // The profile resolves the level (zstd 15, gzip 9 by default; xz takes none: null).
  if (sq.level !== null) argv.push('-Xcompression-level', String(sq.level));
  argv.push('-b', sq.block_size);
  argv.push('-wildcards');
  for (const e of LAYER_EXCLUDES) argv.push('-e', e);
  return argv;
}

/** mksquashfs's progress bar, "[====   ] 1234/5678  21%", as "21% (1234/5678 blocks)". */
export function squashfsProgress(text: string): string | undefined {
  const m = /\]\s+(\d+)\/(\d+)\s+(\d+)%/.exec(text);
  return m ? `${m[3]}% (${m[1]}/${m[2]} blocks)` : undefined;
}
