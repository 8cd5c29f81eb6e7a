// SPDX-License-Identifier: GPL-3.0-or-later
// Running the bundled responder (the same file the images carry) from tests: bundle it once,
// then spawn `node dist/responder/responder.mjs ...` with optional uid, stdin, env.
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO } from './e2e.js';

export const BUNDLE = path.join(REPO, 'dist/responder/responder.mjs');

let bundled = false;
/** Bundle from the current source (fast: esbuild), so a test never runs a stale build. */
export function ensureBundle(): void {
  if (bundled) return;
  execFileSync(process.execPath, [path.join(REPO, 'scripts/bundle-responder.mjs')], { stdio: 'inherit' });
  bundled = true;
}

export interface RunResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

let sharedCopy: string | undefined;
/**
 * The bundle where any user can read it: a checkout under a private folder (a clone in
 * `mktemp -d`, a home directory) is not readable by the unprivileged user some tests run as.
 */
function worldReadableBundle(): string {
  if (!sharedCopy) {
    const dir = mkdtempSync(path.join(tmpdir(), 'responder-bundle-'));
    chmodSync(dir, 0o755);
    sharedCopy = path.join(dir, 'responder.mjs');
    copyFileSync(BUNDLE, sharedCopy);
    chmodSync(sharedCopy, 0o644);
  }
  return sharedCopy;
}

export function runResponder(args: string[], opts: { uid?: number; gid?: number; env?: Record<string, string>; cwd?: string; stdout?: 'pipe' | number; input?: string } = {}): Promise<RunResult> {
  ensureBundle();
  const bundle = opts.uid ? worldReadableBundle() : BUNDLE;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...args], {
      cwd: opts.cwd ?? REPO,
      env: { ...process.env, ...opts.env },
      uid: opts.uid,
      gid: opts.gid,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', opts.stdout ?? 'pipe', 'pipe'],
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr }));
  });
}

/** A one-line error, no stack trace: what every failure must look like to a responder. */
export function expectOneLineError(r: RunResult): void {
  if (r.code === 0) throw new Error(`expected a failure, got exit 0: ${r.stderr}`);
  const lines = r.stderr
    .trim()
    .split('\n')
    .filter((l) => !l.startsWith('hint: '));
  if (lines.length !== 1 || !lines[0]!.startsWith('responder: ') || /\n\s+at /.test(r.stderr)) {
    throw new Error(`expected one "responder: ..." line, got:\n${r.stderr}`);
  }
}
