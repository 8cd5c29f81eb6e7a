// SPDX-License-Identifier: GPL-3.0-or-later
// Shared by the end-to-end tests: run the real CLI, build a profile once per run (the stage cache
// makes later calls cheap), and boot an ISO through `build-live boot-test --json`.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const TEST_OUT = path.join(REPO, 'test-out');
export const CLI = path.join(REPO, 'bin/build-live.js');
/**
 * The e2e tier's own stage cache (every fixture under it too), not the developer's
 * /var/cache/build-live: a test run neither reuses nor disturbs the builds a developer makes.
 * BUILD_LIVE_TEST_CACHE points it elsewhere (CI keeps one between runs; a cold cache must pass).
 */
export const CACHE_DIR = process.env.BUILD_LIVE_TEST_CACHE ?? '/var/cache/build-live-test';
export const WORK_DIR = path.join(TEST_OUT, 'work');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { env?: Record<string, string>; onStdoutLine?: (line: string, child: ReturnType<typeof spawn>) => void; uid?: number; gid?: number } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: REPO,
      env: { ...process.env, ...opts.env },
      uid: opts.uid,
      gid: opts.gid,
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const l of lines) opts.onStdoutLine?.(l, child);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

export interface BuildOutcome {
  iso: string;
  outDir: string;
  buildJson: BuildJson;
  result: CliResult;
}

export interface BuildJson {
  buildId: string;
  iso: { file: string; sha256: string; bytes: number };
  stages: { stage: string; durationMs: number; cache: string; detail?: string }[];
  tools: Record<string, string>;
  bootMenu: { id: string; label: string; options: string[] }[];
  resolvedProfile: Record<string, unknown>;
}

/** Build a profile (name or file) into test-out/<outName>; throws with the CLI's stderr on failure. */
export async function buildProfile(profile: string, outName = path.basename(profile, '.yaml'), extra: string[] = []): Promise<BuildOutcome> {
  const outDir = path.join(TEST_OUT, outName);
  mkdirSync(outDir, { recursive: true });
  const result = await runCli(['build', '--profile', profile, '--out', outDir, '--cache', CACHE_DIR, '--work', WORK_DIR, ...extra]);
  if (result.code !== 0) throw new Error(`build of ${profile} failed (exit ${result.code}):\n${result.stderr}\n${result.stdout.slice(-3000)}`);
  const name = path.basename(profile, '.yaml');
  const buildJson = JSON.parse(readFileSync(path.join(outDir, `${name}.build.json`), 'utf8')) as BuildJson;
  return { iso: path.join(outDir, `${name}.iso`), outDir, buildJson, result };
}

export interface BootCheck {
  check: string;
  pass: boolean;
  detail: string;
}

export interface BootOutcome {
  passed: boolean;
  checks: BootCheck[];
  finalLine?: string;
  scriptOutput?: string;
  scriptExitCode?: number;
  consoleTail?: string;
  /** The whole serial console (GRUB, kernel, systemd), read from the run folder. */
  console: string;
  [key: string]: unknown;
}

/** Boot through the CLI (the command nightly CI and users run) and return its JSON verdict. */
let boots = 0;

export async function bootIso(iso: string, args: string[]): Promise<BootOutcome> {
  // Keep QEMU's logs with the test outputs (CI prints their paths when a boot fails).
  const runDir = path.join(TEST_OUT, 'boots', `${path.basename(iso, '.iso')}-${process.pid}-${++boots}`);
  const result = await runCli(['boot-test', '--iso', iso, '--json', '--run-dir', runDir, ...args]);
  let parsed: BootOutcome;
  try {
    parsed = JSON.parse(result.stdout) as BootOutcome;
  } catch {
    throw new Error(`boot-test printed no JSON (exit ${result.code}):\n${result.stderr}\n${result.stdout}`);
  }
  const consoleFile = path.join(runDir, 'console.log');
  parsed.console = existsSync(consoleFile) ? readFileSync(consoleFile, 'utf8') : '';
  if (!parsed.passed) {
    // Show why, so a red CI run can be read without rerunning it.
    process.stderr.write(`boot-test failed for ${iso} ${args.join(' ')}:\n${JSON.stringify(parsed, null, 2)}\n`);
  }
  return parsed;
}
