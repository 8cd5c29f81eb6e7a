// SPDX-License-Identifier: GPL-3.0-or-later
// doctor's KVM verdict, with a stand-in QEMU on PATH (the real probe runs in the e2e doctor test).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { kvmCheck } from '../../src/builder/doctor/kvm-probe.js';

const FAKE = path.resolve(__dirname, '../fixtures/fake-qemu');
const originalPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = originalPath;
  delete process.env.FAKE_QEMU;
});

describe.runIf(existsSync('/dev/kvm') && process.getuid?.() === 0)('doctor: KVM probe', () => {
  it('says usable when the probe VM prints its firmware banner', async () => {
    process.env.PATH = `${FAKE}:${originalPath}`;
    process.env.FAKE_QEMU = 'works';
    const r = await kvmCheck();
    expect(r).toMatchObject({ status: 'ok', detail: 'KVM present and usable (a probe VM ran)' });
  });

  it("says present but not usable, with QEMU's reason, when QEMU aborts", async () => {
    process.env.PATH = `${FAKE}:${originalPath}`;
    process.env.FAKE_QEMU = 'aborts';
    const r = await kvmCheck();
    expect(r.status).toBe('warn');
    expect(r.detail).toContain('KVM present but not usable: QEMU stopped: qemu-system-x86_64: error: failed to set MSR');
    expect(r.detail).toContain('fall back to software emulation');
  });

  it('says present but not usable when the probe VM stays silent (a hang)', async () => {
    process.env.PATH = `${FAKE}:${originalPath}`;
    process.env.FAKE_QEMU = 'hangs';
    const r = await kvmCheck();
    expect(r.detail).toMatch(/not usable: the probe VM printed nothing in 10 s/);
  }, 20_000);
});
