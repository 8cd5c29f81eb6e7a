#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Benchmark of the stage cache on the `minimal` profile (plus one benchmark overlay folder), run
// side by side in one go: a cold build (--no-cache: every stage runs; the .deb download cache is
// kept so the network is not what is measured), a rebuild with nothing changed, and a rebuild after
// one overlay file changed. Prints each stage's time and each rebuild as a ratio of the cold build.
//   sudo node scripts/benchmark-build.mjs [--cache DIR] [--markdown]
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const cacheDir = args.includes('--cache') ? args[args.indexOf('--cache') + 1] : '/var/cache/build-live';
const markdown = args.includes('--markdown');
const dir = path.join(repo, 'test-out', 'benchmark');
const overlay = path.join(dir, 'overlay-bench');
const profile = path.join(dir, 'bench.yaml');
mkdirSync(path.join(overlay, 'etc'), { recursive: true });
writeFileSync(profile, `# benchmark profile: minimal plus one overlay folder\nextends: ${path.join(repo, 'profiles/minimal.yaml')}\noverlays:\n  - ./overlay-bench\n`);

function build(label, extra = []) {
  const started = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [path.join(repo, 'bin/build-live.js'), 'build', '--profile', profile, '--out', path.join(dir, 'out'), '--cache', cacheDir, '--work', path.join(dir, 'work'), ...extra],
    { encoding: 'utf8' },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    process.exit(1);
  }
  const record = JSON.parse(readFileSync(path.join(dir, 'out', 'bench.build.json'), 'utf8'));
  return { label, seconds, stages: record.stages };
}

writeFileSync(path.join(overlay, 'etc/benchmark-marker'), 'cold\n');
const runs = [build('cold (--no-cache)', ['--no-cache']), build('rebuild, nothing changed')];
writeFileSync(path.join(overlay, 'etc/benchmark-marker'), `changed ${Date.now()}\n`);
runs.push(build('rebuild, one overlay file changed'));

const cold = runs[0].seconds;
const stageNames = runs[0].stages.map((s) => s.stage);
const header = ['run', 'total s', '% of cold', ...stageNames];
const rows = runs.map((r) => [
  r.label,
  r.seconds.toFixed(1),
  ((100 * r.seconds) / cold).toFixed(1) + ' %',
  ...stageNames.map((n) => {
    const s = r.stages.find((x) => x.stage === n);
    return s ? `${(s.durationMs / 1000).toFixed(1)}${s.cache === 'hit' ? ' (hit)' : ''}` : '-';
  }),
]);
const host = `${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores, node ${process.version}`;
if (markdown) {
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\n(${host}; cache ${cacheDir})`);
} else {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(fmt(header));
  for (const r of rows) console.log(fmt(r));
  console.log(`(${host}; cache ${cacheDir})`);
}
const [, nochange, overlayChange] = runs;
const ok = nochange.seconds < 0.05 * cold && overlayChange.seconds < 0.1 * cold;
console.log(`targets: no-change rebuild < 5 % of cold, overlay rebuild < 10 % of cold: ${ok ? 'met' : 'NOT met'}`);
