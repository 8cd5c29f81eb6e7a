// SPDX-License-Identifier: GPL-3.0-or-later
// The xorriso command line for a hybrid ISO (pure, so its layout is unit-tested):
//  - BIOS from CD: El Torito, GRUB's i386-pc-eltorito image;
//  - BIOS from USB: GRUB's boot_hybrid.img as MBR, patched to load the same image (--grub2-boot-info);
//  - UEFI from CD: El Torito EFI entry pointing at the appended ESP;
//  - UEFI from USB: the same ESP as GPT partition 2 (the layout Debian's own images use).
export interface IsoArgs {
  output: string;
  isoDir: string;
  volumeLabel: string;
  bios: boolean;
  efiImage?: string;
  /** Extra files mapped into the ISO without copying them: path inside the ISO -> file on the host. */
  grafts: Record<string, string>;
  grubLib?: string;
  /** SOURCE_DATE_EPOCH: every file and volume date, and (through it) the volume and GPT UUIDs. */
  sourceDateEpoch?: number;
}

/** xorriso's YYYYMMDDhhmmsscc (GMT). */
export function xorrisoTime(epoch: number): string {
  return new Date(epoch * 1000)
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.(\d\d)\dZ$/, '$1');
}

export function xorrisoArgv(a: IsoArgs): string[] {
  const argv = ['xorriso', '-as', 'mkisofs', '-o', a.output];
  argv.push('-iso-level', '3', '-full-iso9660-filenames', '-joliet', '-joliet-long', '-rational-rock');
  argv.push('-volid', a.volumeLabel);
  if (a.sourceDateEpoch !== undefined) {
    // Files keep the time they were copied at unless told otherwise; the volume dates and the GPT
    // disk GUID derive from --modification-date.
    const t = xorrisoTime(a.sourceDateEpoch);
    argv.push(`--modification-date=${t}`, '--set_all_file_dates', t);
  }
  if (a.bios) {
    argv.push('-partition_offset', '16', '--grub2-mbr', `${a.grubLib ?? '/usr/lib/grub'}/i386-pc/boot_hybrid.img`, '--mbr-force-bootable');
  }
  if (a.efiImage) {
    argv.push('-append_partition', '2', '0xef', a.efiImage, '-appended_part_as_gpt');
    argv.push('-iso_mbr_part_type', 'a2a0d0eb-e5b9-4433-87c0-68b6b72699c7');
  }
  argv.push('-c', 'boot/boot.cat');
  if (a.bios) {
    argv.push('-b', 'boot/grub/i386-pc/eltorito.img', '-no-emul-boot', '-boot-load-size', '4', '-boot-info-table', '--grub2-boot-info');
  }
  if (a.efiImage) {
    if (a.bios) argv.push('-eltorito-alt-boot');
    argv.push('-e', '--interval:appended_partition_2:all::', '-no-emul-boot');
  }
  argv.push('-graft-points', a.isoDir);
  for (const [inside, host] of Object.entries(a.grafts).sort(([x], [y]) => (x < y ? -1 : 1))) argv.push(`${inside}=${host}`);
  return argv;
}
