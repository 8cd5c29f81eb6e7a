// SPDX-License-Identifier: GPL-3.0-or-later
// What a user sees when something is wrong before any build starts: one clear line, the right exit
// code, no stack trace.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_DIR, REPO, runCli } from '../helpers/e2e.js';

const NOBODY = 65534;
// The non-root tests need the checkout to be readable by others (a clone under a private home is not).
const readableByOthers = spawnSync('setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', 'test', '-r', path.join(REPO, 'dist/builder/cli/main.js')]).status === 0;
if (!readableByOthers) console.warn(`skipping the non-root CLI tests: ${REPO} is not readable by uid ${NOBODY}`);
const noStack = (s: string) => expect(s).not.toMatch(/\n\s+at .*:\d+:\d+/);

describe('build-live command line', () => {
  it.runIf(readableByOthers)('explains that building needs root, without crashing', async () => {
    const r = await runCli(['--profile', 'minimal'], { uid: NOBODY, gid: NOBODY });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('build-live must run as root');
    expect(r.stderr).toContain('hint: run it with sudo');
    noStack(r.stderr);
  });

  it('names a missing host tool and the Debian package to install', async () => {
    // A PATH without mmdebstrap and friends: the preflight check must say what to install.
    const r = await runCli(['--profile', 'minimal'], { env: { PATH: '/nonexistent' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/missing host tools: .*mmdebstrap/);
    expect(r.stderr).toMatch(/apt-get install --no-install-recommends .*squashfs-tools/);
    noStack(r.stderr);
  });

  it('rejects an unknown command and an unknown flag with exit code 2', async () => {
    const cmd = await runCli(['bulid', '--profile', 'minimal']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain('unknown command "bulid"');
    const flag = await runCli(['build', '--profil', 'minimal']);
    expect(flag.code).toBe(2);
    expect(flag.stderr.split('\n')[0]).toMatch(/^build-live: Unknown option '--profil'/);
    noStack(flag.stderr);
  });

  it.runIf(readableByOthers)('validates the shipped profiles without building, as any user', async () => {
    for (const p of ['base', 'minimal', 'forensic']) {
      const r = await runCli(['validate', '--profile', p], { uid: NOBODY, gid: NOBODY });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`${p}: valid`);
    }
  });

  it('build --dry-run runs every verify step: all problems at once, in seconds, nothing built', async () => {
    const started = Date.now();
    const bad = await runCli(['build', '--dry-run', '--profile', 'test/fixtures/profiles/verify-problems.yaml', '--cache', CACHE_DIR]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('configure: image.locale xx_YY.UTF-8 is not a locale glibc knows');
    expect(bad.stderr).toContain('configure: image.timezone Mars/Olympus is not a tz database name');
    expect(bad.stderr).toContain('2 problem(s) found');
    noStack(bad.stderr);
    const good = await runCli(['build', '--dry-run', '--profile', 'forensic', '--cache', CACHE_DIR]);
    expect(good.code).toBe(0);
    expect(good.stderr + good.stdout).toContain('nothing built (--dry-run)');
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('reports a bad profile with file:line:col and exit code 2', async () => {
    const r = await runCli(['validate', '--profile', 'test/bad-profiles/unknown-key.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^test\/bad-profiles\/unknown-key\.yaml:\d+:\d+: /);
    noStack(r.stderr);
  });

  it('prints help and its version', async () => {
    expect((await runCli(['--help'])).stdout).toContain('boot-test');
    expect((await runCli(['--version'])).stdout).toMatch(/^build-live \d+\.\d+\.\d+/);
  });
});
