// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { xorrisoArgv } from '../../src/builder/stages/iso-argv.js';

const base = { output: '/o/x.iso', isoDir: '/w/iso', volumeLabel: 'X_LIVE', grafts: { 'live/b.squashfs': '/c/b', 'live/a.squashfs': '/c/a' } };

function after(argv: string[], flag: string): string | undefined {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1] : undefined;
}

describe('xorrisoArgv', () => {
  it('makes a hybrid BIOS + UEFI image: El Torito for both, MBR for USB, ESP as a GPT partition', () => {
    const argv = xorrisoArgv({ ...base, bios: true, efiImage: '/w/efi.img' });
    expect(argv.slice(0, 3)).toEqual(['xorriso', '-as', 'mkisofs']);
    expect(after(argv, '-volid')).toBe('X_LIVE');
    expect(after(argv, '--grub2-mbr')).toBe('/usr/lib/grub/i386-pc/boot_hybrid.img');
    expect(after(argv, '-b')).toBe('boot/grub/i386-pc/eltorito.img');
    expect(argv).toContain('--grub2-boot-info');
    expect(argv.slice(argv.indexOf('-append_partition'), argv.indexOf('-append_partition') + 4)).toEqual(['-append_partition', '2', '0xef', '/w/efi.img']);
    // The EFI El Torito entry comes after the BIOS one, separated by -eltorito-alt-boot.
    expect(argv.indexOf('-eltorito-alt-boot')).toBeGreaterThan(argv.indexOf('-b'));
    expect(after(argv, '-e')).toBe('--interval:appended_partition_2:all::');
  });

  it('sets every file date and the volume dates to SOURCE_DATE_EPOCH (reproducible ISOs)', () => {
    const argv = xorrisoArgv({ ...base, bios: true, sourceDateEpoch: 1783764997 });
    expect(argv).toContain('--modification-date=2026071110163700');
    expect(after(argv, '--set_all_file_dates')).toBe('2026071110163700');
    expect(xorrisoArgv({ ...base, bios: true })).not.toContain('--set_all_file_dates');
  });

  it('leaves out the BIOS parts for a UEFI-only profile', () => {
    const argv = xorrisoArgv({ ...base, bios: false, efiImage: '/w/efi.img' });
    expect(argv).not.toContain('--grub2-mbr');
    expect(argv).not.toContain('-b');
    expect(argv).not.toContain('-eltorito-alt-boot');
    expect(argv).toContain('-e');
  });

  it('leaves out the EFI parts for a BIOS-only profile', () => {
    const argv = xorrisoArgv({ ...base, bios: true });
    expect(argv).not.toContain('-append_partition');
    expect(argv).not.toContain('-e');
  });

  it('grafts cached files in a stable order, after the ISO tree', () => {
    const argv = xorrisoArgv({ ...base, bios: true });
    expect(argv.slice(-3)).toEqual(['/w/iso', 'live/a.squashfs=/c/a', 'live/b.squashfs=/c/b']);
    expect(argv[argv.length - 4]).toBe('-graft-points');
  });
});
