#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// The end of every test run: each test file's wall time (slowest first, so the CI budget is
// visible in every log), then ONE plain closing line with the counts. A test file whose hooks
// failed (a fixture that timed out, a build that broke in beforeAll) has no failed *test* in
// vitest's counts; it is counted here as a failure, so the closing line never says "0 failed"
// for a red run.
//   node scripts/test-summary.mjs test-out/vitest-results.json [elapsed seconds of the whole run]
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [file = 'test-out/vitest-results.json', elapsedArg] = process.argv.slice(2);
let results;
try {
  results = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.log(`test-summary: no results in ${file} (${err.code ?? err.message}): the run ended before vitest wrote them`);
  console.log('0 passed, 1 failed, 0 skipped');
  process.exit(0);
}

const repo = process.cwd();
// vitest's startTime is when a file's first test starts, after its beforeAll (where the builds and
// boots of an e2e file happen). Files run one at a time (vitest.config.ts), so a file's wall time
// is from the previous file's end (the run's start for the first) to its own end.
const ordered = [...(results.testResults ?? [])].sort((a, b) => (a.endTime ?? 0) - (b.endTime ?? 0));
const wallStart = new Map();
let previousEnd = results.startTime;
for (const r of ordered) {
  wallStart.set(r, Math.min(r.startTime ?? previousEnd, previousEnd ?? r.startTime ?? 0));
  previousEnd = Math.max(previousEnd ?? 0, r.endTime ?? 0);
}
const files = (results.testResults ?? []).map((r) => {
  const seconds = Math.max(0, ((r.endTime ?? 0) - (wallStart.get(r) ?? r.startTime ?? 0)) / 1000);
  const failedTests = (r.assertionResults ?? []).filter((a) => a.status === 'failed').length;
  // A failed file with no failed test: its hooks or its collection failed.
  const suiteFailed = r.status === 'failed' && failedTests === 0;
  return { name: path.relative(repo, r.name), seconds, status: r.status, suiteFailed, message: r.message };
});

files.sort((a, b) => b.seconds - a.seconds);
const total = files.reduce((s, f) => s + f.seconds, 0);
console.log('\nTime per test file (slowest first):');
for (const f of files) {
  const mark = f.status === 'failed' ? (f.suiteFailed ? '  FAILED (hook or collection)' : '  FAILED') : '';
  console.log(`${f.seconds.toFixed(1).padStart(8)} s  ${f.name}${mark}`);
}
console.log(`${total.toFixed(1).padStart(8)} s  all test files${elapsedArg ? ` (whole run ${elapsedArg} s with setup and type-check)` : ''}`);

const broken = files.filter((f) => f.suiteFailed);
for (const f of broken) console.log(`suite failed: ${f.name}: ${(f.message ?? '').split('\n')[0]}`);

const passed = results.numPassedTests ?? 0;
const failed = (results.numFailedTests ?? 0) + broken.length;
const skipped = (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
