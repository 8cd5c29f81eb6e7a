// SPDX-License-Identifier: GPL-3.0-or-later
// Boots the minimal ISO the four ways a user can boot it: BIOS and UEFI, from a CD and written
// raw to a USB stick (the hybrid path). Each boot must reach a passing self-test.
import { beforeAll, describe, expect, it } from 'vitest';
import { bootIso, buildProfile } from '../helpers/e2e.js';

let iso: string;
let defaultOptions: string[];
beforeAll(async () => {
  const build = await buildProfile('minimal');
  iso = build.iso;
  defaultOptions = build.buildJson.bootMenu[0]!.options;
});

describe.each([
  ['bios', 'cdrom'],
  ['uefi', 'cdrom'],
  ['bios', 'disk'],
  ['uefi', 'disk'],
])('minimal ISO, %s firmware, as %s', (firmware, media) => {
  it('boots to a passing self-test with the default menu entry', async () => {
    const r = await bootIso(iso, ['--firmware', firmware, '--media', media]);
    expect(r.finalLine).toBe('FORENSIC-LIVE-SELFTEST PASS');
    expect(r.passed).toBe(true);
    const byName = Object.fromEntries(r.checks.map((c) => [c.check, c]));
    expect(byName['multi-user']?.pass).toBe(true);
    expect(byName['kernel-cmdline']?.pass).toBe(true);
    expect(byName['kernel-cmdline']?.detail).toContain('Debian live system');
    expect(byName['node']?.detail).toMatch(/^v18\./);
    // The image knows how it was started (the unsigned-GRUB path; Secure Boot is proven in test 40).
    expect(byName['secure-boot']?.detail).toMatch(firmware === 'uefi' ? /^firmware: UEFI; Secure Boot: off/ : /^firmware: BIOS/);
    expect(defaultOptions).toContain('boot=live');
  });
});
