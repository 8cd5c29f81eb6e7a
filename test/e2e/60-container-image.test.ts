// SPDX-License-Identifier: GPL-3.0-or-later
// The Dockerfile (the packaging for hosts that are not Debian) builds, and build-live runs inside the
// image: scripts/container-image-test does the work with buildah (overlay storage, chroot isolation,
// base image imported from an mmdebstrap tarball, since no registry is reachable).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_DIR, REPO } from '../helpers/e2e.js';

const SCRIPT = path.join(REPO, 'scripts/container-image-test');
const TIMEOUT = 20 * 60_000;
const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('skipping the container image test: scripts/container-image-test needs root');

interface ScriptResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  output: string;
}

/** Runs the script in its own process group, so that a timeout stops buildah too (and the script's trap cleans up). */
function runScript(file: string, killAfterMs: number): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    // The base image tarball is a fixture: it lives in the e2e tier's cache.
    const env = { ...process.env, CONTAINER_CACHE: process.env.CONTAINER_CACHE ?? path.join(CACHE_DIR, 'container') };
    const child = spawn(file, [], { cwd: REPO, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d));
    child.stderr.on('data', (d: Buffer) => (output += d));
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    let hardKill: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      output += `\n[test] no result after ${killAfterMs / 1000} s: SIGTERM to the script's process group\n`;
      killGroup('SIGTERM');
      hardKill = setTimeout(() => killGroup('SIGKILL'), 30_000);
    }, killAfterMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (hardKill) clearTimeout(hardKill);
      resolve({ code, signal, output });
    });
  });
}

describe('container image (Dockerfile)', () => {
  it.runIf(isRoot)(
    'builds with buildah, and build-live reports its version and validates the forensic profile inside',
    async () => {
      const { version } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
      // Leave a minute for the script's own clean-up before vitest's timeout.
      const r = await runScript(SCRIPT, TIMEOUT - 60_000);
      const tail = r.output.split('\n').slice(-60).join('\n');
      expect(r.code, `scripts/container-image-test failed; last lines:\n${tail}`).toBe(0);
      expect(r.output).toMatch(new RegExp(`^build-live ${version.replace(/\./g, '\\.')}$`, 'm'));
      expect(r.output).toMatch(/^forensic: valid/m);
      expect(r.output).toMatch(/^mmdebstrap --version: mmdebstrap \d/m);
      expect(r.output).toMatch(/^container-image-test: PASS/m);
    },
    TIMEOUT,
  );
});
