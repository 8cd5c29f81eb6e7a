// SPDX-License-Identifier: GPL-3.0-or-later
// The stage cache and the failure paths, on real builds of small profiles that extend `minimal`
// (so they share its cached base tree): an overlay-only change re-squashes only the upper layer;
// a failing hook names its stage and leaves no mount behind; Ctrl-C cleans up too.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, TEST_OUT, WORK_DIR, CACHE_DIR, buildProfile, runCli } from '../helpers/e2e.js';

const DIR = path.join(TEST_OUT, 'profiles');

function writeProfile(name: string, body: string): string {
  mkdirSync(DIR, { recursive: true });
  const file = path.join(DIR, `${name}.yaml`);
  writeFileSync(file, `extends: ${path.join(REPO, 'profiles/minimal.yaml')}\n${body}`);
  return file;
}

function mountsBelow(dir: string): string[] {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[4] ?? '')
    .filter((m) => m.startsWith(dir));
}

function upperFile(iso: string, inside: string): string {
  const tmp = path.join(TEST_OUT, 'upper.squashfs');
  rmSync(tmp, { force: true });
  execFileSync('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/live/20-upper.squashfs', tmp], { stdio: 'ignore' });
  return execFileSync('unsquashfs', ['-cat', tmp, inside], { encoding: 'utf8' });
}

const stage = (b: Awaited<ReturnType<typeof buildProfile>>, name: string) => b.buildJson.stages.find((s) => s.stage === name)!;

beforeAll(async () => {
  await buildProfile('minimal'); // the shared base tree and base layer
});

describe('stage cache', () => {
  const overlay = path.join(DIR, 'overlay-cachetest');
  const marker = path.join(overlay, 'etc/forensic-live-test/marker');
  let profile: string;

  beforeAll(() => {
    mkdirSync(path.dirname(marker), { recursive: true });
    profile = writeProfile('cachetest', `overlays:\n  - ./overlay-cachetest\n`);
  });

  it('rebuilds after an overlay change without bootstrapping or re-compressing the base layer', async () => {
    writeFileSync(marker, 'one\n');
    await buildProfile(profile);
    writeFileSync(marker, `two ${Date.now()}\n`);
    const b = await buildProfile(profile);
    expect(stage(b, 'bootstrap').cache).toBe('hit');
    expect(stage(b, 'configure').cache).toBe('miss');
    expect(stage(b, 'squashfs').detail).toBe('base layer cached, upper layer compressed');
    expect(upperFile(b.iso, 'etc/forensic-live-test/marker')).toBe(readFileSync(marker, 'utf8'));
  });

  it('reuses every layer when nothing changed', async () => {
    const b = await buildProfile(profile);
    expect(stage(b, 'bootstrap').cache).toBe('hit');
    expect(stage(b, 'configure').cache).toBe('hit');
    expect(stage(b, 'squashfs').cache).toBe('hit');
  });

  // --no-cache (every stage runs again) is proven by 15-repro-check, whose second build uses it.
});

describe('failures', () => {
  it('names the stage and the hook, shows its output, exits 1 and leaves no mount or partial ISO', async () => {
    const p = writeProfile('failinghook', `hooks:\n  - name: breaks\n    when: after-overlays\n    command: [sh, -c, 'echo something broke >&2; exit 3']\n`);
    const out = path.join(TEST_OUT, 'failinghook');
    const r = await runCli(['build', '--profile', p, '--out', out, '--cache', CACHE_DIR, '--work', WORK_DIR]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('stage overlay failed');
    expect(r.stderr).toContain('hook "breaks"');
    expect(r.stderr).toContain('something broke');
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/); // no stack trace
    expect(mountsBelow(WORK_DIR)).toEqual([]);
    expect(existsSync(path.join(out, 'failinghook.iso'))).toBe(false);
    expect(existsSync(path.join(out, 'failinghook.iso.partial'))).toBe(false);
  });

  it('cleans up mounts and its lock on Ctrl-C, and the next build works', async () => {
    const p = writeProfile('interrupted', `hooks:\n  - name: slow\n    when: after-overlays\n    command: [sleep, '60']\n`);
    const out = path.join(TEST_OUT, 'interrupted');
    let sent = false;
    const r = await runCli(['build', '--profile', p, '--out', out, '--cache', CACHE_DIR, '--work', WORK_DIR, '--json'], {
      onStdoutLine: (line, child) => {
        if (!sent && line.includes('"stage-start"') && line.includes('"overlay"')) {
          sent = true;
          setTimeout(() => child.kill('SIGINT'), 1500);
        }
      },
    });
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(mountsBelow(WORK_DIR)).toEqual([]);
    expect(existsSync(path.join(WORK_DIR, 'interrupted.lock'))).toBe(false);
    writeFileSync(p, readFileSync(p, 'utf8').replace("'60'", "'0'"));
    await buildProfile(p);
  });
});
