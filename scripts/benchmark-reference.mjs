#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark the trusted reference database build (the builder's own code, dist/builder/reference,
// after `npm run build`) for a suite's `standard` priority set: required + important + standard
// with their dependencies, every version in SUITE, SUITE-updates and SUITE-security (what a
// `reference: { priorities: [required, important, standard] }` profile builds). Run twice into one
// fresh cache folder: cold (no InRelease, Packages or .deb cached: everything downloaded, checked
// and read) and cached (the same again: .debs re-hashed from the cache, then read). Prints a
// Markdown table with the size per 1,000 packages. The temporary cache is removed at the end.
// Usage: node scripts/benchmark-reference.mjs [--suite bookworm] [--keep]
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { suite: { type: 'string', default: 'bookworm' }, keep: { type: 'boolean' } } });
const suite = values.suite;
let mod;
try {
  mod = await import(path.join(repo, 'dist/builder/reference/build.js'));
} catch {
  console.error('benchmark-reference: dist/builder/reference/build.js is missing: run npm run build');
  process.exit(1);
}
const { planReference, writeReference } = mod;

const work = mkdtempSync(path.join(os.tmpdir(), 'bench-reference-'));
const request = {
  sources: [
    { suite, mirror: 'http://deb.debian.org/debian' },
    { suite: `${suite}-updates`, mirror: 'http://deb.debian.org/debian' },
    { suite: `${suite}-security`, mirror: 'http://deb.debian.org/debian-security' },
  ],
  components: ['main'],
  arch: 'amd64',
  selection: { all: false, priorities: ['required', 'important', 'standard'], packages: [], dependencies: true },
  cacheDir: path.join(work, 'cache'),
};

async function once(label) {
  const started = performance.now();
  const plan = await planReference(request);
  const manifest = await writeReference(plan, path.join(work, `out-${label}`));
  return { label, seconds: (performance.now() - started) / 1000, manifest };
}

const rows = [];
try {
  rows.push(await once('cold'));
  rows.push(await once('cached'));
} finally {
  if (!values.keep) rmSync(work, { recursive: true, force: true });
}
const mib = (n) => (n / 2 ** 20).toFixed(1);
console.log(`reference for ${suite} (+updates, +security), priorities required+important+standard with dependencies, amd64, main`);
console.log('| run | seconds | package versions | files | reference.db.gz | per 1,000 packages | packages.idx.gz | .debs downloaded |');
console.log('|---|---|---|---|---|---|---|---|');
for (const { label, seconds, manifest: m } of rows) {
  console.log(
    `| ${label} | ${seconds.toFixed(1)} | ${m.packages} | ${m.files} | ${mib(m.bytes.database)} MiB | ${mib(m.bytesPer1000Packages)} MiB | ${mib(m.bytes.index)} MiB | ${mib(m.bytes.debsDownloaded)} MiB |`,
  );
}
console.log(
  `(node ${process.version}, ${os.cpus().length} CPU(s), load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')})`,
);
