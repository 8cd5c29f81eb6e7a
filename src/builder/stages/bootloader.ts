// SPDX-License-Identifier: GPL-3.0-or-later
// Stage 6: GRUB for BIOS (El Torito + hybrid MBR) and UEFI (an ESP image with BOOTX64.EFI), both
// with the same embedded early config and the same grub.cfg.
import { existsSync } from 'node:fs';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../pipeline/context.js';
import type { Stage } from '../pipeline/stage.js';
import { run } from '../exec/run.js';
import { earlyConfig, grubConfig } from './grub-config.js';
import { signedBootFiles, type SignedBootFiles } from './signed-boot.js';
import { GRUB_LIB } from '../paths.js';

export { GRUB_LIB };
const COMMON_MODULES = ['part_msdos', 'part_gpt', 'iso9660', 'fat', 'normal', 'configfile', 'search', 'search_fs_file', 'linux', 'test', 'echo', 'serial', 'terminal', 'gzio', 'all_video'];
const BIOS_MODULES = ['biosdisk', ...COMMON_MODULES];
const EFI_MODULES = ['efi_gop', ...COMMON_MODULES];

export function markerPath(buildId: string): string {
  return `/.disk/forensic-live-${buildId}`;
}

declare module '../pipeline/context.js' {
  interface Products {
    /** The ISO's folder tree (GRUB, grub.cfg, .disk/) and the ESP image next to it. */
    isoTree: { dir: string; efiImage: string };
    /** Secure Boot: the signed packages the ESP's shim, MokManager and GRUB came from (else empty). */
    signedBoot: SignedBootFiles['packages'];
  }
}

export const bootloaderStage: Stage = {
  name: 'bootloader',
  title: 'Install GRUB for BIOS and UEFI',
  needs: ['upperLayer'],
  produces: ['isoTree', 'signedBoot'],
  async run(ctx) {
    ctx.set('signedBoot', []);
    const iso = ctx.work('iso');
    await rm(iso, { recursive: true, force: true });
    await mkdir(path.join(iso, 'boot/grub'), { recursive: true });
    await mkdir(path.join(iso, '.disk'), { recursive: true });
    ctx.set('isoTree', { dir: iso, efiImage: ctx.work('efi.img') });
    const buildId = ctx.get('upperLayer').buildId;
    await writeFile(path.join(iso, markerPath(buildId)), `${buildId}\n`);
    // live-boot compares .disk/live-uuid with the initrd's conf/uuid.conf (written by the forensic
    // overlay's initramfs hook), so a planted live/ tree on an evidence disk is never booted.
    if (ctx.profile.forensic.enabled) await writeFile(path.join(iso, '.disk/live-uuid'), `${buildId}\n`);
    await writeFile(path.join(iso, 'boot/grub/grub.cfg'), grubConfig(ctx.profile, buildId));
    const early = ctx.work('grub-early.cfg');
    await writeFile(early, earlyConfig(markerPath(buildId)));
    const fw = ctx.profile.boot.firmware;
    if (fw.includes('bios')) await biosImage(iso, early);
    if (fw.includes('uefi')) await efiImage(ctx, iso, early);
    return { cache: 'none', detail: fw.join(' + ') + (ctx.profile.boot.secure_boot ? ' (Secure Boot: signed shim + GRUB)' : '') };
  },
};

async function biosImage(iso: string, early: string): Promise<void> {
  const dir = path.join(iso, 'boot/grub/i386-pc');
  await copyModules('i386-pc', dir);
  await run(['grub-mkimage', '-O', 'i386-pc-eltorito', '-o', path.join(dir, 'eltorito.img'), '-p', '/boot/grub', '-c', early, ...BIOS_MODULES], { label: 'grub-mkimage' });
}

/** ESP file name -> host file: an unsigned GRUB core image with the early config embedded. */
async function unsignedEfi(ctx: BuildContext, iso: string, early: string): Promise<Record<string, string>> {
  await copyModules('x86_64-efi', path.join(iso, 'boot/grub/x86_64-efi'));
  const bootx64 = ctx.work('BOOTX64.EFI');
  await run(['grub-mkimage', '-O', 'x86_64-efi', '-o', bootx64, '-p', '/boot/grub', '-c', early, ...EFI_MODULES], { label: 'grub-mkimage' });
  return { 'BOOTX64.EFI': bootx64 };
}

/**
 * ESP file name -> host file: Debian's signed shim, MokManager and GRUB CD image. That GRUB is
 * monolithic (no modules are loaded under Secure Boot) and its built-in config reads
 * $prefix/grub.cfg with $prefix = /boot/grub on the device it was loaded from: on a USB stick that
 * is the ESP, where our early config then finds this build's medium by its marker (never the first
 * disk with a /.disk/info, which the built-in fallback would take).
 */
async function signedEfi(ctx: BuildContext): Promise<Record<string, string>> {
  const signed = await signedBootFiles(ctx);
  ctx.set('signedBoot', signed.packages);
  return signed.files;
}

async function efiImage(ctx: BuildContext, iso: string, early: string): Promise<void> {
  const files = ctx.profile.boot.secure_boot ? await signedEfi(ctx) : await unsignedEfi(ctx, iso, early);
  // The ESP image that El Torito's EFI entry and the GPT's EFI partition both point at.
  const img = ctx.work('efi.img');
  await rm(img, { force: true });
  // A fixed volume serial (from the build id) and no creation time: the ESP is reproducible; mtools
  // dates its files with SOURCE_DATE_EPOCH.
  await run(['mkfs.vfat', '--invariant', '-i', ctx.get('upperLayer').buildId.slice(0, 8), '-C', '-n', 'EFIBOOT', img, '8192'], { label: 'mkfs.vfat' });
  await run(['mmd', '-i', img, '::/EFI', '::/EFI/BOOT'], { label: 'mtools' });
  for (const [name, file] of Object.entries(files)) await run(['mcopy', '-i', img, file, `::/EFI/BOOT/${name}`], { label: 'mtools' });
  if (ctx.profile.boot.secure_boot) {
    await run(['mmd', '-i', img, '::/boot', '::/boot/grub'], { label: 'mtools' });
    await run(['mcopy', '-i', img, early, '::/boot/grub/grub.cfg'], { label: 'mtools' });
  }
}

/** GRUB loads further modules from $prefix at run time, so ship the platform's module folder. */
async function copyModules(platform: string, to: string): Promise<void> {
  const from = path.join(GRUB_LIB, platform);
  if (!existsSync(from)) throw new Error(`missing ${from}`);
  await mkdir(to, { recursive: true });
  await cp(from, to, { recursive: true, filter: (src) => !/\.(img|image|efi|exec|module|sh|S|h)$/.test(src) || src === from });
}
