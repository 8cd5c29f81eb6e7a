// SPDX-License-Identifier: GPL-3.0-or-later
// The forensic entry's keyboard submenu: every entry is the forensic entry plus one keymap option
// (nothing dropped, nothing forbidden), the layouts exist in responder's table, and the image's
// own kernel-cmdline self-test check (run here on the generated grub.cfg) recognises each entry.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FORBIDDEN_OPTIONS, FORENSIC_KERNEL_OPTIONS, forensicBoot } from '../../src/builder/forensic/boot.js';
import { grubConfig, menuEntries } from '../../src/builder/stages/grub-config.js';
import { BOOT_MENU_LAYOUTS, KEYMAP_OPTION, findLayout, keymapFromCmdline } from '../../src/shared/keymap/layouts.js';
import { REPO } from '../helpers/e2e.js';
import { expectOneLineError, runResponder } from '../helpers/responder-run.js';
import { sampleProfile } from '../helpers/sample-profile.js';

const CHECK = path.join(REPO, 'image/selftest/usr/lib/forensic-live/selftest.d/20-kernel-cmdline');
const work = mkdtempSync(path.join(tmpdir(), 'fl-keymap-menu-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function forensicProfile(toolkit = true) {
  const p = sampleProfile({ toolkit: { responder: toolkit } } as never);
  const forensic = { enabled: true, label: 'Forensic mode (evidence disks read-only)', live_entries: true };
  return { ...p, forensic, boot: forensicBoot(p.boot, forensic) };
}

/** Every `linux` line of the config with the submenu it sits in ('' at the top level). */
function linuxLines(cfg: string): { submenu: string; options: string[] }[] {
  const out: { submenu: string; options: string[] }[] = [];
  let submenu = '';
  for (const line of cfg.split('\n')) {
    if (/^submenu /.test(line)) submenu = /--id '([^']+)'/.exec(line)![1]!;
    const m = /^\s*linux \S+ (.*)$/.exec(line);
    if (m) out.push({ submenu: /^\t\t/.test(line) ? submenu : '', options: m[1]!.split(' ') });
  }
  return out;
}

function runCheck(cfgFile: string, cmdline: string): { code: number | null; out: string } {
  const cmd = path.join(work, 'cmdline');
  writeFileSync(cmd, `${cmdline}\n`);
  const r = spawnSync('bash', [CHECK], { env: { ...process.env, FL_SELFTEST_GRUB_CFG: cfgFile, FL_SELFTEST_CMDLINE: cmd }, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('forensic keyboard submenu', () => {
  const p = forensicProfile();
  const cfg = grubConfig(p, 'abc');
  const forensic = menuEntries(p).find((e) => e.id === 'forensic')!;

  it('offers eight common layouts, each known to responder keymap', () => {
    expect(BOOT_MENU_LAYOUTS).toEqual(['us', 'uk', 'de', 'fr', 'es', 'it', 'ch', 'be']);
    for (const name of BOOT_MENU_LAYOUTS) expect(findLayout(name), name).toBeDefined();
    expect(cfg).toContain("submenu 'Forensic mode (evidence disks read-only): keyboard layout' --id 'forensic-keyboard' {");
    expect(cfg).toContain("\tmenuentry 'Forensic mode (evidence disks read-only), keyboard: German (de)' --id 'forensic-keymap-de' {");
    // Right after the forensic entry; the forensic entry stays the default.
    expect(cfg.indexOf("--id 'forensic-keyboard'")).toBeGreaterThan(cfg.indexOf("--id 'forensic' {"));
    expect(cfg.indexOf("--id 'forensic-keyboard'")).toBeLessThan(cfg.indexOf("--id 'live'"));
    expect(cfg).toContain("set default='forensic'");
  });

  it('gives every submenu entry all of the forensic entry options, plus only the keymap', () => {
    const sub = linuxLines(cfg).filter((l) => l.submenu === 'forensic-keyboard');
    expect(sub).toHaveLength(BOOT_MENU_LAYOUTS.length);
    sub.forEach((l, i) => {
      expect(l.options).toEqual([...forensic.options, `${KEYMAP_OPTION}=${BOOT_MENU_LAYOUTS[i]}`]);
      for (const o of FORENSIC_KERNEL_OPTIONS) expect(l.options, o).toContain(o);
      for (const o of p.boot.kernel_options) expect(l.options, o).toContain(o);
      for (const o of l.options) expect(FORBIDDEN_OPTIONS.test(o), o).toBe(false);
      expect(keymapFromCmdline(l.options.join(' '))).toBe(BOOT_MENU_LAYOUTS[i]);
    });
    // The submenu's entries load the same kernel and both initrds as the forensic entry.
    expect(cfg.match(/^\t\tinitrd \/live\/initrd\.img \/live\/forensic-layers\.img$/gm)).toHaveLength(BOOT_MENU_LAYOUTS.length);
  });

  it('is not offered without forensic mode or without the toolkit that applies the keymap', () => {
    expect(grubConfig(forensicProfile(false), 'abc')).not.toContain('submenu');
    expect(grubConfig(sampleProfile({ toolkit: { responder: true } } as never), 'abc')).not.toContain('submenu');
  });

  it("is recognised by the image's kernel-cmdline self-test check, entry by entry", () => {
    const cfgFile = path.join(work, 'grub.cfg');
    writeFileSync(cfgFile, cfg);
    const de = runCheck(cfgFile, `BOOT_IMAGE=/live/vmlinuz ${forensic.options.join(' ')} ${KEYMAP_OPTION}=de`);
    expect(de.out.trim()).toBe("matches menuentry 'Forensic mode (evidence disks read-only): keyboard layout > Forensic mode (evidence disks read-only), keyboard: German (de)'");
    expect(de.code).toBe(0);
    // The top-level entries after the submenu are named without it.
    const live = menuEntries(p).find((e) => e.id === 'live')!;
    expect(runCheck(cfgFile, live.options.join(' ')).out.trim()).toBe("matches menuentry 'Live system (NOT forensic: disks writable)'");
    expect(runCheck(cfgFile, forensic.options.join(' ')).out.trim()).toBe("matches menuentry 'Forensic mode (evidence disks read-only)'");
    // A keymap the menu does not offer, or a forensic option dropped, matches no entry.
    const bad = runCheck(cfgFile, `${forensic.options.join(' ')} ${KEYMAP_OPTION}=jp`);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('no linux line');
    const dropped = forensic.options.filter((o) => o !== 'read-only');
    expect(runCheck(cfgFile, `${dropped.join(' ')} ${KEYMAP_OPTION}=de`).code).toBe(1);
  });
});

describe('keymap from the kernel command line', () => {
  it('takes the last forensic-live.keymap= and nothing else', () => {
    expect(keymapFromCmdline('boot=live forensic forensic-live.keymap=de quiet\n')).toBe('de');
    expect(keymapFromCmdline('forensic-live.keymap=de forensic-live.keymap=fr')).toBe('fr');
    expect(keymapFromCmdline('boot=live keymap=de xforensic-live.keymap=de')).toBeUndefined();
    expect(findLayout(keymapFromCmdline('forensic-live.keymap=../../etc/passwd')!)).toBeUndefined();
  });
});

describe('responder keymap --boot', () => {
  const cmdline = (text: string) => {
    const f = path.join(work, `cmdline-${Math.random().toString(36).slice(2)}`);
    writeFileSync(f, text);
    return { RESPONDER_CMDLINE: f };
  };

  it('does nothing when no layout was chosen at the boot menu', async () => {
    const r = await runResponder(['keymap', '--boot'], { env: cmdline('boot=live forensic read-only\n') });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.toString()).toBe('keyboard: none chosen at the boot menu (unchanged)\n');
  });

  it('refuses a layout that is not in its table in one line (loadkeys never sees it)', async () => {
    const r = await runResponder(['keymap', '--boot'], { env: { ...cmdline('forensic forensic-live.keymap=/etc/shadow\n'), PATH: '/nonexistent' } });
    expectOneLineError(r);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown layout "/etc/shadow" on the kernel command line (forensic-live.keymap=)');
  });
});
