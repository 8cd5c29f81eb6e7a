// SPDX-License-Identifier: GPL-3.0-or-later
// `build-live doctor` on this machine, for real: tools found with versions, the mirror's signed
// InRelease verified, a disk-space estimate from the archive index, and an honest KVM verdict.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CACHE_DIR, runCli } from '../helpers/e2e.js';

interface Doctor {
  ok: boolean;
  profile: string;
  checks: { name: string; status: string; detail: string; fix?: string }[];
}

describe('build-live doctor', () => {
  it('checks tools, KVM, cache, mirror signature and disk space, with a fix for every problem', async () => {
    const r = await runCli(['doctor', '--profile', 'minimal', '--cache', CACHE_DIR, '--json']);
    const d = JSON.parse(r.stdout) as Doctor;
    const by = Object.fromEntries(d.checks.map((c) => [c.name, c]));
    expect(d.profile).toBe('minimal');
    expect(by['privileges']?.status).toBe('ok');
    expect(by['tool: mmdebstrap']?.detail).toMatch(/^mmdebstrap \d/);
    expect(by['tool: xorriso']?.detail).toMatch(/^xorriso \d/);
    expect(by['mirror']).toMatchObject({ status: 'ok' });
    expect(by['mirror']?.detail).toContain('InRelease signature good');
    expect(by['disk space']?.detail).toMatch(/about \d+ packages, [\d.]+ GiB installed/);
    for (const c of d.checks) if (c.status !== 'ok') expect(c.fix, `${c.name} needs a fix line`).toBeTruthy();
    expect(r.code).toBe(d.ok ? 0 : 1);
    // On this kind of machine /dev/kvm exists but QEMU cannot run a KVM guest: doctor must say so.
    if (existsSync('/dev/kvm')) expect(by['KVM']?.detail).toMatch(/^KVM present and usable|^KVM present but not usable: .*fall back to software emulation/);
  }, 120_000);

  it('fails with a one-line fix when the profile names a package the suite does not have', async () => {
    const r = await runCli(['doctor', '--profile', 'test/fixtures/profiles/unknown-package.yaml', '--cache', CACHE_DIR, '--json']);
    const d = JSON.parse(r.stdout) as Doctor;
    const pk = d.checks.find((c) => c.name === 'packages');
    expect(pk?.status).toBe('fail');
    expect(pk?.detail).toContain('no-such-package-forensic-live');
    expect(r.code).toBe(1);
  }, 120_000);
});
