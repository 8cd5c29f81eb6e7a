// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { FORBIDDEN_OPTIONS, FORENSIC_KERNEL_OPTIONS, forensicBoot, forensicOverlays, LIVE_LABEL_SUFFIX } from '../../src/builder/forensic/boot.js';
import { forensicIdFree, forensicSafeOptions } from '../../src/builder/forensic/rules.js';
import type { MergedProfile } from '../../src/builder/profile/schema.js';
import { grubConfig, menuEntries } from '../../src/builder/stages/grub-config.js';
import { sampleProfile } from '../helpers/sample-profile.js';

const ON = { enabled: true, label: 'Forensic mode (evidence disks read-only)', live_entries: true };

function forensicProfile(forensic = ON) {
  const p = sampleProfile();
  return { ...p, forensic, boot: forensicBoot(p.boot, forensic) };
}

describe('forensic boot menu', () => {
  it('leaves the menu alone when forensic mode is off', () => {
    const p = sampleProfile();
    expect(forensicBoot(p.boot, { ...ON, enabled: false })).toBe(p.boot);
  });

  it('makes the forensic entry first and default, and labels the others as not forensic', () => {
    const p = forensicProfile();
    expect(p.boot.default).toBe('forensic');
    const entries = menuEntries(p);
    expect(entries.map((e) => e.id)).toEqual(['forensic', 'live', 'rescue', 'serial']);
    expect(entries[0]!.options).toEqual([...p.boot.kernel_options, ...FORENSIC_KERNEL_OPTIONS]);
    expect(entries[1]!.label).toBe(`Live system${LIVE_LABEL_SUFFIX}`);
    expect(entries[1]!.options).not.toContain('forensic');
    // The serial-console entry follows the default entry, so it is forensic too.
    expect(entries[3]!.options).toContain('read-only');
    expect(grubConfig(p, 'abc')).toContain("set default='forensic'");
  });

  it('can drop the non-forensic entries', () => {
    const p = forensicProfile({ ...ON, live_entries: false });
    expect(menuEntries(p).map((e) => e.id)).toEqual(['forensic', 'serial']);
  });

  it('never puts an option on the forensic entry that lets live-boot use or write another disk', () => {
    for (const o of FORENSIC_KERNEL_OPTIONS) expect(FORBIDDEN_OPTIONS.test(o), o).toBe(false);
    for (const o of ['ignore_uuid', 'persistence', 'findiso=/x.iso', 'forcefsck', 'toram', 'swap', 'live-media=/dev/sda1']) {
      expect(FORBIDDEN_OPTIONS.test(o), o).toBe(true);
    }
  });

  it('adds the forensic overlay last, once', () => {
    const user = [
      { name: 'common', path: '/r/overlays/common' },
      { name: 'forensic', path: '/r/overlays/forensic' },
    ];
    expect(forensicOverlays(user, ON, '/r').map((o) => o.name)).toEqual(['common', 'forensic']);
    expect(forensicOverlays(user.slice(0, 1), { ...ON, enabled: false }, '/r')).toHaveLength(1);
  });
});

describe('forensic profile rules', () => {
  function check(rule: typeof forensicIdFree, profile: unknown): string[] {
    const out: string[] = [];
    rule({ profile: profile as MergedProfile, report: (p, m) => out.push(`${p.join('.')}: ${m}`), where: () => undefined });
    return out;
  }

  it('reserves the forensic entry id', () => {
    const p = { forensic: ON, boot: { entries: [{ id: 'forensic', label: 'x', options: [] }], kernel_options: [] } };
    expect(check(forensicIdFree, p)).toEqual([expect.stringMatching(/^boot\.entries\.0\.id: 'forensic' is reserved/)]);
  });

  it('refuses unsafe shared kernel options only in forensic mode', () => {
    const p = { forensic: ON, boot: { entries: [], kernel_options: ['boot=live', 'persistence'] } };
    expect(check(forensicSafeOptions, p)).toEqual([expect.stringMatching(/^boot\.kernel_options\.1: 'persistence'/)]);
    expect(check(forensicSafeOptions, { ...p, forensic: { ...ON, enabled: false } })).toEqual([]);
  });
});
