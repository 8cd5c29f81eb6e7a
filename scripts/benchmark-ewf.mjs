#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// E01 acquisition: `responder acquire SRC --format ewf --compress LEVEL` against libewf's own
// `ewfacquire -f encase6 -c deflate:LEVEL -d sha1` (the reference implementation), alternating on
// the same source in one run. The source is a realistic mix: half zeros, a quarter text (log lines),
// a quarter random. Both compute MD5 and SHA-1; the responder also reads the whole set back and
// checks every chunk before it names the files (ewfacquire does not), and that is inside its time.
// Prints throughput, image size and peak RSS of each, and the ratios (targets: throughput >= 1.0,
// size within 5 %). Run it under /work/heavy on a shared machine; it reports the load average.
//   node scripts/benchmark-ewf.mjs [--size-mib 2048] [--runs 1] [--level fast]
// Needs `npm run build` first and ewf-tools (scripts/setup-host installs it).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundle = path.join(repo, 'dist/responder/responder.mjs');
const { values } = parseArgs({
  options: { 'size-mib': { type: 'string', default: '2048' }, runs: { type: 'string', default: '1' }, level: { type: 'string', default: 'fast' }, work: { type: 'string' } },
});
if (!existsSync(bundle)) {
  console.error('benchmark-ewf: run `npm run build` first');
  process.exit(1);
}
const level = values.level;
const sizeMiB = Number(values['size-mib']);
const work = mkdtempSync(path.join(values.work ?? os.tmpdir(), 'bench-ewf-'));
const src = path.join(work, 'source.raw');

// 1 MiB blocks: zeros, then text, then random, in the proportions 2:1:1 (each block type contiguous,
// as on a real disk where free space, logs and compressed files sit in runs).
const fd = openSync(src, 'w');
const line = Buffer.from('Dec  2 06:12:26 host sshd[812]: Accepted publickey for root from 192.0.2.7 port 50122 ssh2: ED25519 SHA256:q9v\n');
const text = Buffer.alloc(1 << 20);
for (let i = 0, n = 0; i < text.length; i += line.length, n++) {
  line.copy(text, i);
  text.write(String(n).padStart(6, '0'), i + 24); // vary the pid so it is not one repeated line
}
const zero = Buffer.alloc(1 << 20);
for (let i = 0; i < sizeMiB; i++) {
  const q = (i * 4) / sizeMiB;
  writeSync(fd, q < 2 ? zero : q < 3 ? text : randomBytes(1 << 20));
}
closeSync(fd);
const bytes = statSync(src).size;

function timed(argv) {
  return new Promise((resolve, reject) => {
    // GNU time reports the peak RSS of the child (KiB) and its wall time.
    const child = spawn('/usr/bin/time', ['-f', 'BENCH %e %M %U %S', ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /BENCH ([\d.]+) (\d+) ([\d.]+) ([\d.]+)/.exec(out);
      if (code !== 0 || !m) reject(new Error(`${argv.join(' ')} exited ${code}: ${out.slice(-2000)}`));
      else resolve({ seconds: Number(m[1]), rssKiB: Number(m[2]), cpuSeconds: Number(m[3]) + Number(m[4]), out });
    });
  });
}
// Read the source once (to /dev/null) so both start with it in the page cache.
const warm = () => new Promise((resolve) => spawn('cat', [src], { stdio: ['ignore', 'ignore', 'ignore'] }).on('close', resolve));
const setSize = (prefix) =>
  readdirSync(work)
    .filter((f) => f.startsWith(prefix) && /\.E\d\d$/.test(f))
    .reduce((s, f) => s + statSync(path.join(work, f)).size, 0);

const results = { ewfacquire: [], responder: [] };
const md5s = new Set();
for (let i = 0; i < Number(values.runs); i++) {
  await warm();
  const t = path.join(work, `ewfacquire-${i}`);
  const e = await timed(['ewfacquire', '-u', '-q', '-t', t, '-c', `deflate:${level}`, '-f', 'encase6', '-d', 'sha1', '-S', '1.4GiB', src]);
  results.ewfacquire.push({ ...e, size: setSize(`ewfacquire-${i}`) });
  md5s.add(/MD5 hash calculated over data:\s+([0-9a-f]{32})/.exec(e.out)?.[1]);
  rmSync(`${t}.E01`, { force: true });
  await warm();
  const r = await timed([process.execPath, bundle, 'acquire', src, '--format', 'ewf', '--compress', level, '--hash', 'md5', '--split', '1400M', '--out', path.join(work, `responder-${i}`)]);
  results.responder.push({ ...r, size: setSize(`responder-${i}`) });
  md5s.add(/md5\s+([0-9a-f]{32})/.exec(r.out)?.[1]);
  for (const f of readdirSync(work)) if (/^(ewfacquire|responder)-/.test(f)) rmSync(path.join(work, f), { force: true });
}
if (md5s.size !== 1) throw new Error(`the two disagree on the MD5: ${[...md5s].join(' ')}`);

const median = (a, k) => [...a].map((x) => x[k]).sort((x, y) => x - y)[Math.floor(a.length / 2)];
const summary = (a) => ({
  seconds: median(a, 'seconds'),
  MiBps: Math.round(bytes / 2 ** 20 / median(a, 'seconds')),
  imageBytes: median(a, 'size'),
  peakRssMiB: Math.round(Math.max(...a.map((x) => x.rssKiB)) / 1024),
  cpuSeconds: median(a, 'cpuSeconds'),
});
const ew = summary(results.ewfacquire);
const rs = summary(results.responder);
const report = {
  bytes,
  mix: 'half zeros, a quarter text, a quarter random (1 MiB runs)',
  level,
  runs: Number(values.runs),
  cores: os.cpus().length,
  loadAverageAtEnd: os.loadavg().map((x) => Number(x.toFixed(1))),
  ewfacquire: ew,
  responder: rs,
  throughputRatio: Number((ew.seconds / rs.seconds).toFixed(3)),
  sizeRatio: Number((rs.imageBytes / ew.imageBytes).toFixed(4)),
  node: process.version,
};
console.log(JSON.stringify(report, null, 2));
console.log(
  `responder ${rs.MiBps} MiB/s vs ewfacquire ${ew.MiBps} MiB/s (ratio ${report.throughputRatio}, target >= 1.0); size ratio ${report.sizeRatio} (target 0.95..1.05); peak RSS ${rs.peakRssMiB} vs ${ew.peakRssMiB} MiB`,
);
rmSync(work, { recursive: true, force: true });
process.exitCode = report.throughputRatio >= 1 && Math.abs(report.sizeRatio - 1) <= 0.05 ? 0 : 1;
