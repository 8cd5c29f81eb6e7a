#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Boot time of two ISOs side by side in one run (issue 17, goal 5: a change to the image must not
// make it slower to boot): each ISO is booted from a CD under BIOS and under UEFI through
// `build-live boot-test` (software emulation unless /dev/kvm is there), alternately, baseline first,
// and the seconds from QEMU's start to a passing self-test and power-off are compared per firmware.
//   sudo node scripts/benchmark-boot.mjs --baseline OLD.iso --candidate NEW.iso [--runs 1] [--markdown]
//     [--firmwares bios,uefi] [--media cdrom|disk] [--secure-boot]   (UEFI with Microsoft's keys enforced)
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const baseline = opt('--baseline');
const candidate = opt('--candidate');
const runs = Number(opt('--runs') ?? 1);
const markdown = args.includes('--markdown');
const firmwares = (opt('--firmwares') ?? 'bios,uefi').split(',');
const media = opt('--media') ?? 'cdrom';
const secureBoot = args.includes('--secure-boot');
if (!baseline || !candidate || !(runs >= 1)) {
  console.error('usage: benchmark-boot.mjs --baseline OLD.iso --candidate NEW.iso [--runs N] [--markdown]');
  process.exit(2);
}
// One folder per invocation, so a later benchmark never overwrites the console logs of an earlier one.
const runDir = path.join(repo, 'test-out', 'benchmark-boot', new Date().toISOString().replace(/[:.]/g, '-'));
mkdirSync(runDir, { recursive: true });

let n = 0;
/** One boot; seconds to a passing self-test and power-off, or an exit with the reason. */
function boot(iso, firmware) {
  const r = spawnSync(
    process.execPath,
    [
      path.join(repo, 'bin/build-live.js'),
      'boot-test',
      '--iso',
      iso,
      '--firmware',
      firmware,
      '--media',
      media,
      ...(secureBoot ? ['--secure-boot'] : []),
      '--json',
      '--run-dir',
      path.join(runDir, `run-${++n}`),
    ],
    { encoding: 'utf8' },
  );
  let verdict;
  try {
    verdict = JSON.parse(r.stdout);
  } catch {
    console.error(`boot-test of ${iso} (${firmware}) printed no verdict (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
    process.exit(1);
  }
  if (!verdict.passed) {
    console.error(`${iso} (${firmware}) did not pass its self-test: ${verdict.finalLine ?? 'no final line'} (run folder ${path.join(runDir, `run-${n}`)})`);
    process.exit(1);
  }
  return { seconds: verdict.durationMs / 1000, accel: verdict.accel };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const rows = [];
let accel = '';
const loadBefore = load();
for (const firmware of firmwares) {
  const times = { baseline: [], candidate: [] };
  for (let i = 0; i < runs; i++) {
    for (const which of ['baseline', 'candidate']) {
      const b = boot(which === 'baseline' ? baseline : candidate, firmware);
      accel = b.accel;
      times[which].push(b.seconds);
      console.error(`${firmware} ${which} run ${i + 1}: ${b.seconds.toFixed(1)} s`);
    }
  }
  const mb = median(times.baseline);
  const mc = median(times.candidate);
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  rows.push([
    firmware,
    mb.toFixed(1),
    mc.toFixed(1),
    (mc / mb).toFixed(2) + 'x',
    (mean(times.candidate) / mean(times.baseline)).toFixed(2) + 'x',
    `${times.baseline.map((t) => t.toFixed(1)).join(' ')} / ${times.candidate.map((t) => t.toFixed(1)).join(' ')}`,
  ]);
}
const size = (f) => `${(statSync(f).size / 1e6).toFixed(1)} MB`;
const header = [`firmware (${media}${secureBoot ? ', Secure Boot' : ''})`, 'baseline s (median)', 'candidate s (median)', 'candidate / baseline', 'on the means', 'runs, s (baseline / candidate)'];
const note = `baseline ${baseline} (${size(baseline)}), candidate ${candidate} (${size(candidate)}); ${runs} run(s) each, alternating; accel ${accel}; load average before ${loadBefore}, after ${load()}; console logs in ${runDir}`;
if (markdown) {
  console.log(`| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\n(${note})`);
} else {
  for (const r of rows) console.log(header.map((h, i) => `${h}: ${r[i]}`).join('; '));
  console.log(note);
}
