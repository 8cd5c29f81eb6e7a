// SPDX-License-Identifier: GPL-3.0-or-later
// What the bootloader stage puts on the medium besides GRUB's images: the module folder (only what
// GRUB reads at run time) and an ESP sized to what it holds.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { espKiB, GRUB_RUNTIME_FILE } from '../../src/builder/stages/bootloader.js';

describe('GRUB_RUNTIME_FILE', () => {
  it('keeps modules, their lists and efiemu', () => {
    for (const f of ['normal.mod', 'part_gpt.mod', 'command.lst', 'moddep.lst', 'efiemu32.o', 'efiemu64.o']) expect(f).toMatch(GRUB_RUNTIME_FILE);
  });
  it('leaves out host programs, boot images, headers and scripts', () => {
    for (const f of ['grub-bios-setup', 'grub-ntldr-img', 'boot.img', 'kernel.img', 'g2ldr.mbr', 'g2hdr.bin', 'config.h', 'modinfo.sh', 'monolithic', 'x.mod.sig']) {
      expect(f).not.toMatch(GRUB_RUNTIME_FILE);
    }
  });
  it("keeps every module of the host's GRUB (the builder's own, scripts/setup-host installs it)", () => {
    const mods = readdirSync('/usr/lib/grub/i386-pc').filter((f) => f.endsWith('.mod'));
    expect(mods.length).toBeGreaterThan(100);
    for (const m of mods) expect(m).toMatch(GRUB_RUNTIME_FILE);
  });
});

describe('espKiB', () => {
  it('rounds each file up to a 4 KiB cluster, adds 1 MiB and gives whole MiB', () => {
    expect(espKiB([])).toBe(1024);
    expect(espKiB([1])).toBe(2048);
    expect(espKiB([1024 * 1024 - 4096 + 1])).toBe(2048); // rounds up to 1 MiB of clusters, + 1 MiB
    expect(espKiB([1024 * 1024])).toBe(2048);
    expect(espKiB([1024 * 1024 + 1])).toBe(3072);
    expect(espKiB([4096, 4096])).toBe(espKiB([1, 1])); // per file, not per byte
  });
  it('fits Debian signed shim + MokManager + GRUB (about 5.8 MB) in 7 MiB, not a fixed 8', () => {
    expect(espKiB([955_656, 851_720, 4_031_336, 300])).toBe(7168);
  });
});
