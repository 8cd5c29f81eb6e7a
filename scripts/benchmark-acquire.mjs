#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Acquisition throughput: `responder acquire SRC --out - --hash sha256` against
// `dd if=SRC bs=4M | sha256sum`, on the same file, alternating, in one run. Both read a file that is
// in the page cache (read once before each run: "warm, equally"), so the comparison measures the
// copy-and-hash pipeline, not the disk. Prints both throughputs, their ratio (target >= 0.9) and
// the responder's peak RSS (bounded memory: it must not grow with the source size).
//   node scripts/benchmark-acquire.mjs [--size-mib 2048] [--runs 3] [--file PATH]
// Needs `npm run build` first (it runs dist/responder/responder.mjs, the file the image carries).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, rmSync, statSync, writeSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(repo, 'dist/responder/responder.mjs');
const { values } = parseArgs({ options: { 'size-mib': { type: 'string', default: '2048' }, runs: { type: 'string', default: '3' }, file: { type: 'string' } } });
if (!existsSync(bundle)) {
  console.error('benchmark-acquire: run `npm run build` first');
  process.exit(1);
}

const sizeMiB = Number(values['size-mib']);
const work = mkdtempSync(path.join(tmpdir(), 'bench-acquire-'));
const src = values.file ?? path.join(work, 'source.raw');
if (!values.file) {
  // Incompressible data, written once (1 MiB of random bytes repeated would be the same for sha256).
  const fd = openSync(src, 'w');
  const block = randomBytes(16 << 20);
  for (let i = 0; i < sizeMiB / 16; i++) writeSync(fd, block);
  closeSync(fd);
}
const bytes = statSync(src).size;

function run(argv, { stdoutToNull = false, shell = false } = {}) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', stdoutToNull ? 'ignore' : 'pipe', 'pipe'], shell });
    let out = '';
    let err = '';
    child.stdout?.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      if (code !== 0) reject(new Error(`${argv.join(' ')} exited ${code}: ${err}`));
      else resolve({ seconds, out, err });
    });
  });
}

const warm = () => run(['cat', src], { stdoutToNull: true });
// The peak RSS is reported by the responder process itself at exit (getrusage's ru_maxrss, KiB).
const rssHook = `data:text/javascript,process.on('exit',()=>process.stderr.write('MAXRSS_KIB '+process.resourceUsage().maxRSS+'\\n'))`;

const results = { dd: [], responder: [], rss: [] };
let hashes = new Set();
const runs = Number(values.runs);
for (let i = 0; i < runs; i++) {
  await warm();
  // The benchmark script builds this pipeline itself; the responder never uses a shell.
  const d = await run(['bash', '-c', 'set -o pipefail; dd if="$1" bs=4M status=none | sha256sum', 'bash', src]);
  results.dd.push(d.seconds);
  hashes.add(d.out.split(' ')[0]);
  await warm();
  const log = path.join(work, `custody-${i}`);
  const r = await run([process.execPath, '--import', rssHook, bundle, 'acquire', src, '--out', '-', '--log', log, '--hash', 'sha256'], { stdoutToNull: true });
  results.responder.push(r.seconds);
  results.rss.push(Number(/MAXRSS_KIB (\d+)/.exec(r.err)?.[1] ?? 0));
  hashes.add(/sha256\s+([0-9a-f]{64})/.exec(r.err)?.[1]);
}
if (hashes.size !== 1) throw new Error(`the two pipelines disagree on the hash: ${[...hashes].join(' ')}`);

const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const mibps = (s) => bytes / 2 ** 20 / s;
const dd = median(results.dd);
const resp = median(results.responder);
const report = {
  bytes,
  runs,
  cache: 'warm (source read once before every run)',
  ddSha256sum: { seconds: dd, MiBps: Math.round(mibps(dd)) },
  responder: { seconds: resp, MiBps: Math.round(mibps(resp)), peakRssMiB: Math.round(Math.max(...results.rss) / 1024) },
  ratio: Number((dd / resp).toFixed(3)),
  target: 0.9,
  node: process.version,
};
console.log(JSON.stringify(report, null, 2));
console.log(`responder ${report.responder.MiBps} MiB/s vs dd|sha256sum ${report.ddSha256sum.MiBps} MiB/s: ratio ${report.ratio} (target >= 0.9), peak RSS ${report.responder.peakRssMiB} MiB`);
rmSync(work, { recursive: true, force: true });
process.exitCode = report.ratio >= 0.9 ? 0 : 1;
