// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { earlyConfig, embeddedConfig, grubConfig, legacyEarlyConfig, menuEntries } from '../../src/builder/stages/grub-config.js';
import { sampleProfile } from '../helpers/sample-profile.js';

describe('boot menu', () => {
  it('gives every entry the common options followed by its own', () => {
    const entries = menuEntries(sampleProfile());
    expect(entries[0]).toEqual({ id: 'live', label: 'Live system', options: ['boot=live', 'console=ttyS0,115200n8', 'console=tty0', 'quiet'] });
  });

  it('adds a serial console entry that makes ttyS0 the last console', () => {
    const serial = menuEntries(sampleProfile()).find((e) => e.id === 'serial')!;
    expect(serial.label).toBe('Live system (serial console)');
    expect(serial.options.at(-1)).toBe('console=ttyS0,115200n8');
    expect(serial.options.filter((o) => o.startsWith('console=ttyS0'))).toHaveLength(1);
  });

  it('has no serial entry and no serial terminal when the serial console is off', () => {
    const p = sampleProfile();
    p.boot.serial_console.enabled = false;
    expect(menuEntries(p).map((e) => e.id)).toEqual(['live', 'rescue']);
    expect(grubConfig(p, 'abc')).not.toContain('serial --unit');
  });

  it('writes one grub.cfg with the default, the timeout and quoted labels', () => {
    const cfg = grubConfig(sampleProfile(), 'abc');
    expect(cfg).toContain("set default='live'");
    expect(cfg).toContain('set timeout=5');
    expect(cfg).toContain("menuentry 'Rescue shell (it'\\''s plain)' --id 'rescue' {");
    expect(cfg).toContain('\tlinux /live/vmlinuz boot=live console=ttyS0,115200n8 console=tty0 quiet\n');
    expect(cfg.match(/^menuentry /gm)).toHaveLength(3);
  });

  it('takes the medium only from the boot disk: never a search over other disks', () => {
    const cfg = earlyConfig('/.disk/forensic-live-123');
    expect(cfg).not.toMatch(/\bsearch\b/);
    // The disk part of $cmdpath (the device GRUB was started from), then that disk or its first partition.
    expect(cfg).toContain(`regexp --set=1:fl_disk '^\\(([^,)]+)' "$cmdpath"`);
    expect(cfg).toContain('for fl_dev in "$fl_disk" "$fl_disk,gpt1" "$fl_disk,msdos1"; do');
    expect(cfg).toContain('-f "($fl_dev)/.disk/forensic-live-123"');
    expect(cfg).toContain('configfile "($root)/boot/grub/grub.cfg"');
    expect(cfg).not.toContain('hashsum');
  });

  it('checks menu, kernel and initrd against the embedded hash list before reading the menu', () => {
    const cfg = earlyConfig('/.disk/forensic-live-123', { hashList: '(memdisk)/sha256sums' });
    const check = cfg.indexOf('hashsum --hash sha256 --check (memdisk)/sha256sums --prefix "($root)"');
    expect(check).toBeGreaterThan(0);
    expect(cfg.indexOf('configfile')).toBeGreaterThan(check);
    expect(cfg).toContain('do not match this build: not booting them');
    // ...and normal mode must not read the refused medium's menu afterwards.
    expect(cfg).toMatch(/not booting them"\n\s+set prefix=\n\s+set root=\n/);
  });

  it('embeds only plain commands: the script itself is sourced from the memdisk', () => {
    expect(embeddedConfig()).toBe('source (memdisk)/forensic-live.cfg\n');
  });

  it('keeps the searching config of earlier builds for the positive control only', () => {
    expect(legacyEarlyConfig('/.disk/forensic-live-123')).toMatch(/^search --no-floppy --set=root --file \/\.disk\/forensic-live-123\n/);
  });

  it('gives forensic entries the layers initrd after the main one', () => {
    const p = sampleProfile();
    expect(grubConfig(p, 'abc')).toContain('\tinitrd /live/initrd.img\n');
    p.forensic.enabled = true;
    expect(grubConfig(p, 'abc')).toContain('\tinitrd /live/initrd.img /live/forensic-layers.img\n');
  });
});
