#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark `responder timeline` (the bundle, as on the image) over generated trees of 10,000 and
// 100,000 files: wall-clock seconds and peak RSS of the responder process. Two sizes show whether
// memory stays bounded as the tree grows. Usage: node scripts/benchmark-timeline.mjs [FILES...]
// (after `npm run build`). The trees are made in a temporary directory and removed afterwards.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(repo, 'dist/responder/responder.mjs');
try {
  statSync(bundle);
} catch {
  console.error('benchmark-timeline: build first: npm run build');
  process.exit(1);
}
const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((n) => n > 0);
if (!sizes.length) sizes.push(10_000, 100_000);

const work = mkdtempSync(path.join(os.tmpdir(), 'bench-timeline-'));
// Runs the bundle in-process and records its peak RSS when it exits.
const wrapper = path.join(work, 'measure.mjs');
writeFileSync(
  wrapper,
  `import { writeFileSync } from 'node:fs';
process.on('exit', () => writeFileSync(process.env.BENCH_RSS_OUT, String(process.resourceUsage().maxRSS)));
await import(${JSON.stringify(new URL(`file://${bundle}`).href)});
`,
);

/** 100 files per directory, directories two levels deep; times spread over ten years, half with a distinct atime. */
function makeTree(root, files) {
  const t0 = Date.UTC(2015, 0, 1) / 1000;
  let made = 0;
  for (let a = 0; made < files; a++) {
    for (let b = 0; b < 10 && made < files; b++) {
      const dir = path.join(root, `d${a}`, `e${b}`);
      mkdirSync(dir, { recursive: true });
      for (let c = 0; c < 100 && made < files; c++, made++) {
        const f = path.join(dir, `file-${made}.dat`);
        writeFileSync(f, '');
        const m = t0 + ((made * 7919) % (10 * 365 * 86400));
        utimesSync(f, made % 2 ? m + 3600 : m, m);
      }
    }
  }
}

const results = [];
for (const files of sizes) {
  const root = path.join(work, `tree-${files}`);
  const t = performance.now();
  makeTree(root, files);
  const makeS = (performance.now() - t) / 1000;
  // Twice: as the image runs it, and with V8's old space capped at 64 MiB. Peak RSS alone mostly
  // shows how far V8 lets its heap grow before collecting; finishing under the cap shows that
  // what the timeline really keeps alive is bounded.
  for (const [label, nodeFlags] of [
    ['default heap', []],
    ['old space capped at 64 MiB', ['--max-old-space-size=64']],
  ]) {
    const body = path.join(work, `tree-${files}-${results.length}.body`);
    const rssFile = path.join(work, 'rss');
    const started = performance.now();
    const r = spawnSync(process.execPath, [...nodeFlags, wrapper, 'timeline', root, '--body', body, '--tmp', work], {
      env: { ...process.env, BENCH_RSS_OUT: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 1 << 30,
    });
    const seconds = (performance.now() - started) / 1000;
    if (r.status !== 0) {
      console.error(`${files} files, ${label}: failed (status ${r.status}, signal ${r.signal})\n${r.stderr.toString().slice(-2000)}`);
      process.exitCode = 1;
      continue;
    }
    const rssMiB = Number(readFileSync(rssFile, 'utf8')) / 1024;
    const lines = r.stdout.toString().split('\n').length - 1;
    results.push({ files, label, seconds, rssMiB, lines, makeS });
    console.log(`${files} files, ${label}: timeline ${seconds.toFixed(2)} s, peak RSS ${rssMiB.toFixed(0)} MiB, ${lines} timeline lines (tree made in ${makeS.toFixed(1)} s)`);
    rmSync(body, { force: true });
  }
  rmSync(root, { recursive: true, force: true });
}
rmSync(work, { recursive: true, force: true });
console.log(`node ${process.version}, ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}, temp dir ${os.tmpdir()}`);
