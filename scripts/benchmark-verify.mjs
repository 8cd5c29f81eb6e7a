#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark `responder verify` against `debsums --root` on the same untampered bookworm tree, side
// by side in one run: the mmdebstrap tree the verify tests cache (test/helpers/debian-tree.ts; run
// `npx vitest run --project e2e test/e2e/80-verify-sweep.test.ts` once to make it), and a trusted
// reference for its packages built with the builder's code (dist/, after `npm run build`; the
// .debs come from the build cache). Page cache warm (one run of each first), then RUNS alternating
// runs of each; the median is reported. --cold drops the tree from the page cache before
// every run. Usage: sudo node scripts/benchmark-verify.mjs [RUNS] [--cold]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(repo, 'dist/responder/responder.mjs');
const cache = process.env.BUILD_LIVE_TEST_CACHE ?? '/var/cache/build-live';
const trees = path.join(cache, 'test-trees');
const args = process.argv.slice(2);
const cold = args.includes('--cold');
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);

for (const [file, hint] of [
  [bundle, 'npm run build'],
  [trees, 'run test/e2e/80-verify-sweep.test.ts once'],
]) {
  try {
    statSync(file);
  } catch {
    console.error(`benchmark-verify: ${file} is missing: ${hint}`);
    process.exit(1);
  }
}
const tarball = readdirSync(trees)
  .filter((n) => n.endsWith('.tar'))
  .map((n) => path.join(trees, n))
  .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
if (!tarball) {
  console.error('benchmark-verify: no cached test tree: run test/e2e/80-verify-sweep.test.ts once');
  process.exit(1);
}
const names = [
  ...new Set(
    readFileSync(`${tarball}.packages`, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0]),
  ),
];

const work = path.join(os.tmpdir(), `bench-verify-${process.pid}`);
const root = path.join(work, 'root');
const ref = path.join(work, 'reference');
mkdirSync(root, { recursive: true });
spawnSync('tar', ['--extract', '--file', tarball, '--directory', root, '--numeric-owner', '--preserve-permissions'], { stdio: 'inherit' });

const { planReference, writeReference } = await import(path.join(repo, 'dist/builder/reference/build.js'));
let t = performance.now();
const plan = await planReference({
  sources: [
    { suite: 'bookworm', mirror: 'http://deb.debian.org/debian' },
    { suite: 'bookworm-updates', mirror: 'http://deb.debian.org/debian' },
    { suite: 'bookworm-security', mirror: 'http://deb.debian.org/debian-security' },
  ],
  components: ['main'],
  arch: 'amd64',
  selection: { all: false, priorities: [], packages: names, dependencies: false },
  cacheDir: cache,
});
const manifest = await writeReference(plan, ref);
const refSeconds = (performance.now() - t) / 1000;

// Wall clock, and the CPU time (user + system) from GNU time: on a machine shared with other work
// the wall clock depends on the load, the CPU time much less.
const cpuFile = path.join(work, 'cpu');
// --cold: before every run, the tree's files are dropped from the page cache (posix_fadvise
// DONTNEED on each file, through python3; only these files, not the whole machine's cache), so
// both tools read from the disk, as they do on real evidence.
const EVICT = `import os, sys
for d, _, files in os.walk(sys.argv[1]):
    for f in files:
        p = os.path.join(d, f)
        try:
            fd = os.open(p, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        os.close(fd)`;
function time(argv) {
  if (cold) spawnSync('python3', ['-c', EVICT, root], { stdio: 'inherit' });
  const started = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, ...argv], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 });
  const seconds = (performance.now() - started) / 1000;
  const [user, sys] = readFileSync(cpuFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { seconds, cpu: user + sys, status: r.status, out: r.stdout.toString(), err: r.stderr.toString() };
}
const verifyArgv = [process.execPath, bundle, 'verify', root, '--reference', ref, '--json'];
const debsumsArgv = ['debsums', `--root=${root}`, '--silent'];
time(verifyArgv);
time(debsumsArgv);
const v = [];
const d = [];
let last;
for (let i = 0; i < runs; i++) {
  last = time(verifyArgv);
  v.push(last);
  d.push(time(debsumsArgv));
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rep = JSON.parse(last.out);
console.log(
  `tree: ${path.basename(tarball)}, ${rep.packages.claimed} packages, ${rep.files.checked} packaged files, ${(rep.files.bytesHashed / 2 ** 20).toFixed(1)} MiB hashed, verify exit ${last.status}`,
);
console.log(
  `reference for those packages: ${manifest.packages} package versions, ${manifest.files} files, ${(manifest.bytes.database / 1024).toFixed(0)} KiB, built in ${refSeconds.toFixed(1)} s (.debs ${manifest.bytes.debsDownloaded ? 'partly downloaded' : 'from the cache'})`,
);
console.log(`page cache: ${cold ? 'cold (the tree evicted before every run)' : 'warm'}`);
console.log(`| command | median of ${runs} (s) | runs (s) | median CPU user+sys (s) |`);
console.log('|---|---|---|---|');
const row = (name, xs) => `| ${name} | ${median(xs.map((x) => x.seconds)).toFixed(2)} | ${xs.map((x) => x.seconds.toFixed(2)).join(', ')} | ${median(xs.map((x) => x.cpu)).toFixed(2)} |`;
console.log(row('responder verify ROOT --reference REF', v));
console.log(row('debsums --root=ROOT --silent', d));
console.log(`verify / debsums, median wall clock: ${(median(v.map((x) => x.seconds)) / median(d.map((x) => x.seconds))).toFixed(2)} (target <= 1)`);
console.log(
  `node ${process.version}, ${os.cpus().length} CPU(s) ${os.cpus()[0]?.model ?? ''}, load average ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
rmSync(work, { recursive: true, force: true });
