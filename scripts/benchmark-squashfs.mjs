#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Squashfs settings for a layer, measured side by side in one run (issue 17, goal 4): the same tree
// (a cached bootstrap, e.g. CACHE/bootstrap-KEY/root) is compressed with each compressor, level
// and block size the profile schema offers, with the builder's own argv (excludes, fixed times),
// and the seconds and bytes of each are printed. Decompression at boot: zstd's speed hardly
// depends on its level, xz is several times slower to read (live-build's default).
//   sudo node scripts/benchmark-squashfs.mjs TREE [--markdown]   (after npm run build)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { mksquashfsArgv } = await import(path.join(repo, 'dist/builder/stages/squashfs-argv.js'));
const args = process.argv.slice(2);
const tree = args.find((a) => !a.startsWith('--'));
const markdown = args.includes('--markdown');
if (!tree) {
  console.error('usage: benchmark-squashfs.mjs TREE [--markdown]');
  process.exit(2);
}

const settings = [
  { compression: 'zstd', level: 3, block_size: '1M' },
  { compression: 'zstd', level: 9, block_size: '1M' },
  { compression: 'zstd', level: 15, block_size: '1M' },
  { compression: 'zstd', level: 19, block_size: '1M' },
  { compression: 'zstd', level: 15, block_size: '256K' },
  { compression: 'xz', level: null, block_size: '1M' },
];
const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-squashfs-'));
const rows = [];
try {
  for (const squashfs of settings) {
    const out = path.join(dir, 'layer.squashfs');
    const argv = mksquashfsArgv({ squashfs }, tree, out, 1700000000);
    const started = process.hrtime.bigint();
    const r = spawnSync(argv[0], [...argv.slice(1), '-no-progress', '-quiet'], { encoding: 'utf8' });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (r.status !== 0) {
      console.error(`${argv.join(' ')} failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
      process.exit(1);
    }
    const bytes = statSync(out).size;
    rmSync(out);
    const label = `${squashfs.compression}${squashfs.level === null ? '' : ` ${squashfs.level}`}, ${squashfs.block_size}`;
    rows.push([label, seconds.toFixed(1), (bytes / 1e6).toFixed(1)]);
    console.error(`${label}: ${seconds.toFixed(1)} s, ${(bytes / 1e6).toFixed(1)} MB`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const header = ['setting', 'seconds', 'MB'];
const note = `tree ${tree}; ${os.cpus().length} cores; load average after ${os
  .loadavg()
  .map((x) => x.toFixed(1))
  .join(' ')}`;
if (markdown) {
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\n(${note})`);
} else {
  for (const r of rows) console.log(r.join('\t'));
  console.log(note);
}
