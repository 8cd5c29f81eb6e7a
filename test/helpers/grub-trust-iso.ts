// SPDX-License-Identifier: GPL-3.0-or-later
// Small hybrid ISOs that carry only GRUB, made with the builder's own pieces (early config, module
// lists, memdisk hash list, xorriso layout): they boot to the menu in seconds, which is all the
// "who picks the medium" tests need. Their grub.cfg prints GENUINE_LINE; the kernel and initrd are
// small stand-ins whose hashes the memdisk list carries (or, for `tamper`, does not match).
import { copyFileSync, cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { BIOS_MODULES, EFI_MODULES, markerPath, MEMDISK_HASH_LIST } from '../../src/builder/stages/bootloader.js';
import { earlyConfig, embeddedConfig, legacyEarlyConfig } from '../../src/builder/stages/grub-config.js';
import { sha256List } from '../../src/builder/stages/medium-hashes.js';
import { xorrisoArgv } from '../../src/builder/stages/iso-argv.js';
import { sh } from './evidence.js';

export const GENUINE_LINE = 'FORENSIC-LIVE-GENUINE-MENU';
export const TRUST_BUILD_ID = '0123456789abcdef';
const SERIAL = 'serial --unit=0 --speed=115200\nterminal_output console serial\n';

export interface TrustIsoOptions {
  /** Debian's signed shim + GRUB CD image on the ESP (as profiles with boot.secure_boot). */
  signed?: boolean;
  /** The searching early config of earlier builds (positive control). */
  legacy?: boolean;
  /** The kernel on the medium differs from the one whose hash GRUB carries. */
  tamper?: boolean;
}

const sha = (b: string): string => createHash('sha256').update(b).digest('hex');

export function trustIso(dir: string, name: string, o: TrustIsoOptions = {}): string {
  const work = path.join(dir, `${name}.d`);
  rmSync(work, { recursive: true, force: true });
  const iso = path.join(work, 'iso');
  mkdirSync(path.join(iso, '.disk'), { recursive: true });
  mkdirSync(path.join(iso, 'boot/grub'), { recursive: true });
  mkdirSync(path.join(iso, 'live'), { recursive: true });
  const marker = markerPath(TRUST_BUILD_ID);
  writeFileSync(path.join(iso, marker), `${TRUST_BUILD_ID}\n`);
  writeFileSync(path.join(iso, '.disk/info'), 'forensic-live trust test\n');
  const menu = `${SERIAL}echo "${GENUINE_LINE} from $root"\nsleep 600\n`;
  writeFileSync(path.join(iso, 'boot/grub/grub.cfg'), menu);
  writeFileSync(path.join(iso, 'live/vmlinuz'), o.tamper ? 'a kernel someone swapped\n' : 'stand-in kernel\n');
  writeFileSync(path.join(iso, 'live/initrd.img'), 'stand-in initrd\n');
  const memdir = path.join(work, 'memdisk');
  mkdirSync(memdir);
  writeFileSync(path.join(memdir, 'sha256sums'), sha256List({ 'boot/grub/grub.cfg': sha(menu), 'live/vmlinuz': sha('stand-in kernel\n'), 'live/initrd.img': sha('stand-in initrd\n') }));
  const memdisk = path.join(work, 'memdisk.tar');
  const serial = { port: 0, speed: 115200 };
  writeFileSync(path.join(memdir, 'forensic-live.cfg'), earlyConfig(marker, { hashList: MEMDISK_HASH_LIST, serial }));
  sh(['tar', '--format=ustar', '--owner=0', '--group=0', '-C', memdir, '-cf', memdisk, 'forensic-live.cfg', 'sha256sums']);
  const early = path.join(work, 'early.cfg');
  writeFileSync(early, o.legacy ? SERIAL + legacyEarlyConfig(marker) : embeddedConfig());
  const extra = o.legacy ? ['search', 'search_fs_file'] : [];
  for (const platform of ['i386-pc', 'x86_64-efi'])
    cpSync(`/usr/lib/grub/${platform}`, path.join(iso, 'boot/grub', platform), { recursive: true, filter: (s) => !/\.(img|image|efi|exec|module|sh|S|h)$/.test(s) });
  sh(['grub-mkimage', '-O', 'i386-pc-eltorito', '-o', path.join(iso, 'boot/grub/i386-pc/eltorito.img'), '-p', '/boot/grub', '-c', early, '-m', memdisk, ...BIOS_MODULES, ...extra]);
  const efiImg = path.join(work, 'efi.img');
  sh(['mkfs.vfat', '-C', '-n', 'EFIBOOT', efiImg, '8192']);
  const mt = (argv: string[]): string => sh(['env', 'MTOOLS_SKIP_CHECK=1', ...argv]);
  mt(['mmd', '-i', efiImg, '::/EFI', '::/EFI/BOOT']);
  if (o.signed) {
    mt(['mcopy', '-i', efiImg, '/usr/lib/shim/shimx64.efi.signed', '::/EFI/BOOT/BOOTX64.EFI']);
    mt(['mcopy', '-i', efiImg, '/usr/lib/grub/x86_64-efi-signed/gcdx64.efi.signed', '::/EFI/BOOT/grubx64.efi']);
    const signedEarly = path.join(work, 'early-signed.cfg');
    writeFileSync(signedEarly, o.legacy ? legacyEarlyConfig(marker) : earlyConfig(marker, { serial }));
    mt(['mmd', '-i', efiImg, '::/boot', '::/boot/grub']);
    mt(['mcopy', '-i', efiImg, signedEarly, '::/boot/grub/grub.cfg']);
  } else {
    const bootx64 = path.join(work, 'BOOTX64.EFI');
    sh(['grub-mkimage', '-O', 'x86_64-efi', '-o', bootx64, '-p', '/boot/grub', '-c', early, '-m', memdisk, ...EFI_MODULES, ...extra]);
    mt(['mcopy', '-i', efiImg, bootx64, '::/EFI/BOOT/BOOTX64.EFI']);
  }
  const out = path.join(dir, `${name}.iso`);
  sh(xorrisoArgv({ output: out, isoDir: iso, volumeLabel: 'TRUST_TEST', bios: true, efiImage: efiImg, grafts: {} }));
  return out;
}

/** Copies the firmware's variable store for one run. */
export function varsCopy(from: string, dir: string, name: string): string {
  const to = path.join(dir, `${name}.vars.fd`);
  copyFileSync(from, to);
  return to;
}
