#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Cold build against Debian's live-build, side by side in one run on the same machine: first
// `build-live build --profile P` with an empty --cache (every stage runs, every .deb is downloaded),
// then `lb config && lb build` installing exactly the packages of our manifest (P.packages), from
// the same mirror, minbase, hybrid ISO for BIOS and UEFI. Prints both times, both ISO sizes, the
// ratios, our stage times and the bootstrap's phases, and the load average before and after.
//   sudo node scripts/benchmark-live-build.mjs [--profile minimal] [--markdown] [--keep]
// Needs live-build on the host (scripts/setup-host installs it). Heavy: 10-30 minutes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const profile = opt('--profile', 'minimal');
const markdown = args.includes('--markdown');
const keep = args.includes('--keep');
const mirror = opt('--mirror', 'http://deb.debian.org/debian');
const securityMirror = opt('--security-mirror', 'http://deb.debian.org/debian-security');
const dir = path.join(repo, 'test-out', 'benchmark-live-build', profile);
const TARGET_TIME = 0.3;
const TARGET_SIZE = 0.6;

if (process.getuid?.() !== 0) fail('run as root (both builders bootstrap in root mode): sudo node scripts/benchmark-live-build.mjs');
if (spawnSync('lb', ['--version'], { encoding: 'utf8' }).status !== 0) fail('live-build is not installed: apt-get install live-build (or scripts/setup-host)');

function fail(message) {
  process.stderr.write(`benchmark-live-build: ${message}\n`);
  process.exit(1);
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

/** Run argv, stream its output to `logFile`, return wall seconds; stop the benchmark on failure. */
function timed(argv, opts, logFile) {
  const started = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { ...opts, encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  writeFileSync(logFile, `$ ${argv.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  if (r.status !== 0) fail(`${argv.slice(0, 3).join(' ')} failed (exit ${r.status}); see ${logFile}`);
  return seconds;
}

rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const loadBefore = load();

// 1. Ours, cold: a new, empty cache folder (no stage cache, no .deb cache).
const ours = path.join(dir, 'ours');
const oursSeconds = timed(
  [process.execPath, path.join(repo, 'bin/build-live.js'), 'build', '--profile', profile, '--cache', path.join(ours, 'cache'), '--out', path.join(ours, 'out'), '--work', path.join(ours, 'work')],
  {},
  path.join(dir, 'build-live.log'),
);
const record = JSON.parse(readFileSync(path.join(ours, 'out', `${profile}.build.json`), 'utf8'));
const oursIso = statSync(path.join(ours, 'out', `${profile}.iso`)).size;
const manifest = readFileSync(path.join(ours, 'out', `${profile}.packages`), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('kernel-module:'))
  .map((l) => l.split('\t')[0]);
const loadBetween = load();
// Our cache holds gigabytes; live-build should not have to share the disk's page cache with it.
if (!keep) rmSync(ours, { recursive: true, force: true });

// 2. live-build on the same package set: minbase, same mirrors, hybrid ISO booting BIOS (syslinux) and UEFI (GRUB).
const lb = path.join(dir, 'live-build');
mkdirSync(path.join(lb, 'config', 'package-lists'), { recursive: true });
writeFileSync(path.join(lb, 'config', 'package-lists', 'build-live.list.chroot'), manifest.join('\n') + '\n');
const lbConfig = [
  'lb',
  'config',
  '--distribution',
  'bookworm',
  '--archive-areas',
  'main',
  '--mirror-bootstrap',
  mirror,
  '--mirror-chroot',
  mirror,
  '--mirror-binary',
  mirror,
  '--mirror-chroot-security',
  securityMirror,
  '--mirror-binary-security',
  securityMirror,
  '--debootstrap-options',
  '--variant=minbase',
  '--binary-images',
  'iso-hybrid',
  '--bootloaders',
  'grub-efi,syslinux',
  '--debian-installer',
  'none',
  '--apt-recommends',
  'false',
  '--memtest',
  'none',
  '--firmware-binary',
  'false',
  '--firmware-chroot',
  'false',
  '--linux-flavours',
  'amd64',
  '--cache',
  'false',
];
timed(lbConfig, { cwd: lb }, path.join(dir, 'lb-config.log'));
const lbSeconds = timed(['lb', 'build'], { cwd: lb }, path.join(dir, 'lb-build.log'));
const lbIsoName = readdirSync(lb).find((f) => f.endsWith('.iso'));
if (!lbIsoName) fail(`lb build made no ISO; see ${path.join(dir, 'lb-build.log')}`);
const lbIso = statSync(path.join(lb, lbIsoName)).size;
const lbPackages = existsSync(path.join(lb, 'chroot.packages.live')) ? readFileSync(path.join(lb, 'chroot.packages.live'), 'utf8').split('\n').filter(Boolean).length : null;
const loadAfter = load();
if (!keep) spawnSync('lb', ['clean', '--purge'], { cwd: lb });

// 3. Report.
const mb = (b) => (b / 1e6).toFixed(1);
const timeRatio = oursSeconds / lbSeconds;
const sizeRatio = oursIso / lbIso;
const phases = record.bootstrapPhases;
const rows = [
  ['build-live (cold, empty --cache)', oursSeconds.toFixed(1), mb(oursIso), String(manifest.length)],
  ['live-build (lb build)', lbSeconds.toFixed(1), mb(lbIso), lbPackages === null ? '?' : String(lbPackages)],
  ['ratio (ours / live-build)', `**${timeRatio.toFixed(2)}x** (target <= ${TARGET_TIME})`, `**${sizeRatio.toFixed(2)}x** (target <= ${TARGET_SIZE})`, ''],
];
const stages = record.stages.map((s) => `${s.stage} ${(s.durationMs / 1000).toFixed(1)}`).join(', ');
const phaseLine = phases
  ? Object.entries(phases.phases)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') + ` (mmdebstrap ${phases.seconds} s, initramfs built ${phases.initramfsRuns}x)`
  : 'not recorded';
const lines = [
  `profile ${profile}: ${new Date().toISOString().slice(0, 16)}Z, ${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()} cores, node ${process.version}`,
  `load average (1/5/15 min): before ${loadBefore}; between the builds ${loadBetween}; after ${loadAfter}`,
  '',
  markdown ? '| builder | seconds | ISO MB | packages |\n|---|---|---|---|' : 'builder | seconds | ISO MB | packages',
  ...rows.map((r) => (markdown ? `| ${r.join(' | ')} |` : r.join(' | ').replace(/\*\*/g, ''))),
  '',
  `our stages (s): ${stages}`,
  `our bootstrap phases (s): ${phaseLine}`,
  `targets: time ${timeRatio <= TARGET_TIME ? 'met' : 'NOT met'}, size ${sizeRatio <= TARGET_SIZE ? 'met' : 'NOT met'}`,
];
console.log(lines.join('\n'));
writeFileSync(
  path.join(dir, 'result.json'),
  JSON.stringify(
    { profile, oursSeconds, lbSeconds, oursIso, lbIso, timeRatio, sizeRatio, stages: record.stages, bootstrapPhases: phases, load: { before: loadBefore, between: loadBetween, after: loadAfter } },
    null,
    2,
  ) + '\n',
);
