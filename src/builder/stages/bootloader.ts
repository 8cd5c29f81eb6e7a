// SPDX-License-Identifier: GPL-3.0-or-later
// Stage 6: GRUB for BIOS (El Torito + hybrid MBR) and UEFI (an ESP image with BOOTX64.EFI), both
// with the same embedded early config and the same grub.cfg.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../pipeline/context.js';
import type { Stage } from '../pipeline/stage.js';
import { run } from '../exec/run.js';
import { InternalError } from '../errors.js';
import { fileSha256 } from '../../shared/hash.js';
import { layersInitrd, sha256List } from './medium-hashes.js';
import { earlyConfig, embeddedConfig, grubConfig, INITRD_PATH, KERNEL_PATH, LAYERS_INITRD_PATH } from './grub-config.js';
import { BASE_LAYER, FILESYSTEM_MODULE, GRUB_LIB, UPPER_LAYER } from '../paths.js';

export { GRUB_LIB };
// memdisk + tar + hashsum + gcry_sha256: the build's hash list inside the core image and its check;
// regexp: the boot disk's name from $cmdpath; configfile: source (grub-config.ts earlyConfig).
const COMMON_MODULES = [
  'part_msdos',
  'part_gpt',
  'iso9660',
  'fat',
  'normal',
  'configfile',
  'linux',
  'test',
  'echo',
  'serial',
  'terminal',
  'gzio',
  'all_video',
  'regexp',
  'memdisk',
  'tar',
  'hashsum',
  'gcry_sha256',
];
/** The hash list's path inside the core images' memdisk. */
export const MEMDISK_HASH_LIST = '(memdisk)/sha256sums';
export const BIOS_MODULES = ['biosdisk', ...COMMON_MODULES];
export const EFI_MODULES = ['efi_gop', ...COMMON_MODULES];

export function markerPath(buildId: string): string {
  return `/.disk/forensic-live-${buildId}`;
}

declare module '../pipeline/context.js' {
  interface Products {
    /** The ISO's folder tree (GRUB, grub.cfg, .disk/) and the ESP image next to it. */
    isoTree: { dir: string; efiImage: string };
  }
}

export const bootloaderStage: Stage = {
  name: 'bootloader',
  title: 'Install GRUB for BIOS and UEFI',
  // signedBoot: the Secure Boot feature's stage (secure-boot/), null when the profile has it off.
  needs: ['upperLayer', 'layers', 'signedBoot'],
  produces: ['isoTree'],
  async run(ctx) {
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
    const grubCfg = grubConfig(ctx.profile, buildId);
    await writeFile(path.join(iso, 'boot/grub/grub.cfg'), grubCfg);
    // Our GRUB images check the menu, kernel and initrds against the hashes in their memdisk;
    // Debian's signed GRUB (on the ESP) cannot (no hashsum): it only pins the boot device.
    const sc = ctx.profile.boot.serial_console;
    const serial = sc.enabled ? { port: sc.port, speed: sc.speed } : undefined;
    const memdisk = await memdiskTar(ctx, iso, grubCfg, earlyConfig(markerPath(buildId), { hashList: MEMDISK_HASH_LIST, serial }));
    const early = ctx.work('grub-embedded.cfg');
    await writeFile(early, embeddedConfig());
    const signedEarly = ctx.work('grub-early-signed.cfg');
    await writeFile(signedEarly, earlyConfig(markerPath(buildId), { serial }));
    const fw = ctx.profile.boot.firmware;
    if (fw.includes('bios')) await biosImage(iso, early, memdisk);
    if (fw.includes('uefi')) await efiImage(ctx, iso, early, signedEarly, memdisk);
    return { cache: 'none', detail: fw.join(' + ') + (ctx.profile.boot.secure_boot ? ' (Secure Boot: signed shim + GRUB)' : '') };
  },
};

/**
 * The layers initrd (forensic images) and the memdisk tar: the early config and the sha256 of
 * everything GRUB loads from the medium (grub.cfg, kernel, initrds). Returns the tar's path.
 */
async function memdiskTar(ctx: BuildContext, iso: string, grubCfg: string, early: string): Promise<string> {
  const { base, upperEntry: upper } = ctx.get('layers');
  const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
  const list: Record<string, string> = {
    'boot/grub/grub.cfg': sha(grubCfg),
    [KERNEL_PATH.slice(1)]: await fileSha256(path.join(upper, 'vmlinuz')),
    [INITRD_PATH.slice(1)]: await fileSha256(path.join(upper, 'initrd.img')),
  };
  if (ctx.profile.forensic.enabled) {
    const layers = layersInitrd({
      'live/filesystem.module': sha(FILESYSTEM_MODULE),
      [`live/${BASE_LAYER}`]: await fileSha256(base),
      [`live/${UPPER_LAYER}`]: await fileSha256(path.join(upper, UPPER_LAYER)),
    });
    await mkdir(path.join(iso, 'live'), { recursive: true });
    await writeFile(path.join(iso, LAYERS_INITRD_PATH), layers);
    list[LAYERS_INITRD_PATH.slice(1)] = createHash('sha256').update(layers).digest('hex');
  }
  const dir = ctx.work('grub-memdisk');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'sha256sums'), sha256List(list));
  await writeFile(path.join(dir, 'forensic-live.cfg'), early);
  const tar = ctx.work('grub-memdisk.tar');
  const epoch = ctx.sourceDateEpoch.epoch;
  await run(['tar', '--format=ustar', '--owner=0', '--group=0', '--numeric-owner', `--mtime=@${epoch}`, '-C', dir, '-cf', tar, 'forensic-live.cfg', 'sha256sums'], { label: 'tar' });
  return tar;
}

async function biosImage(iso: string, early: string, memdisk: string): Promise<void> {
  const dir = path.join(iso, 'boot/grub/i386-pc');
  await copyModules('i386-pc', dir);
  await run(['grub-mkimage', '-O', 'i386-pc-eltorito', '-o', path.join(dir, 'eltorito.img'), '-p', '/boot/grub', '-c', early, '-m', memdisk, ...BIOS_MODULES], { label: 'grub-mkimage' });
}

/** ESP file name -> host file: an unsigned GRUB core image with the early config embedded. */
async function unsignedEfi(ctx: BuildContext, iso: string, early: string, memdisk: string): Promise<Record<string, string>> {
  await copyModules('x86_64-efi', path.join(iso, 'boot/grub/x86_64-efi'));
  const bootx64 = ctx.work('BOOTX64.EFI');
  await run(['grub-mkimage', '-O', 'x86_64-efi', '-o', bootx64, '-p', '/boot/grub', '-c', early, '-m', memdisk, ...EFI_MODULES], { label: 'grub-mkimage' });
  return { 'BOOTX64.EFI': bootx64 };
}

/**
 * ESP file name -> host file: Debian's signed shim, MokManager and GRUB CD image (the signed-boot stage's). That GRUB is
 * monolithic (no modules are loaded under Secure Boot) and its built-in config reads
 * $prefix/grub.cfg with $prefix = /boot/grub on the device it was loaded from: on a USB stick that
 * is the ESP, where our early config then takes this build's medium from the same disk (never the
 * first disk with a /.disk/info, which the built-in fallback would take if $prefix did not exist).
 */
function signedEfi(ctx: BuildContext): Record<string, string> {
  const signed = ctx.get('signedBoot');
  if (!signed) throw new InternalError('Secure Boot is on but the signed-boot stage made no files');
  return signed.files;
}

async function efiImage(ctx: BuildContext, iso: string, early: string, signedEarly: string, memdisk: string): Promise<void> {
  const files = ctx.profile.boot.secure_boot ? signedEfi(ctx) : await unsignedEfi(ctx, iso, early, memdisk);
  // The ESP image that El Torito's EFI entry and the GPT's EFI partition both point at.
  const img = ctx.work('efi.img');
  await rm(img, { force: true });
  // A fixed volume serial (from the build id) and no creation time: the ESP is reproducible; mtools
  // dates its files with SOURCE_DATE_EPOCH.
  const contents = [...Object.values(files), ...(ctx.profile.boot.secure_boot ? [signedEarly] : [])];
  const kib = espKiB(await Promise.all(contents.map(async (f) => (await stat(f)).size)));
  await run(['mkfs.vfat', '--invariant', '-i', ctx.get('upperLayer').buildId.slice(0, 8), '-C', '-n', 'EFIBOOT', img, String(kib)], { label: 'mkfs.vfat' });
  await run(['mmd', '-i', img, '::/EFI', '::/EFI/BOOT'], { label: 'mtools' });
  for (const [name, file] of Object.entries(files)) await run(['mcopy', '-i', img, file, `::/EFI/BOOT/${name}`], { label: 'mtools' });
  if (ctx.profile.boot.secure_boot) {
    await run(['mmd', '-i', img, '::/boot', '::/boot/grub'], { label: 'mtools' });
    await run(['mcopy', '-i', img, signedEarly, '::/boot/grub/grub.cfg'], { label: 'mtools' });
  }
}

/**
 * The ESP's size in KiB for files of these sizes: each rounded up to a 4 KiB cluster, plus 1 MiB
 * for the FATs, directories and slack, in whole MiB. The ISO stores the image as it is, so a fixed
 * 8 MiB ESP carried several MiB of zeros (debian-cd sizes its efi.img to its contents the same way).
 */
export function espKiB(sizes: readonly number[]): number {
  const clusters = sizes.reduce((sum, n) => sum + Math.ceil(n / 4096) * 4, 0);
  return Math.ceil((clusters + 1024) / 1024) * 1024;
}

/** What grub-install itself copies: modules, their lists and efiemu (no host programs, images or headers). */
export const GRUB_RUNTIME_FILE = /^([\w-]+\.mod|[\w-]+\.lst|efiemu(32|64)\.o)$/;

/** GRUB loads further modules from $prefix at run time, so ship the platform's module folder. */
async function copyModules(platform: string, to: string): Promise<void> {
  const from = path.join(GRUB_LIB, platform);
  if (!existsSync(from)) throw new Error(`missing ${from}`);
  await mkdir(to, { recursive: true });
  await cp(from, to, { recursive: true, filter: (src) => src === from || GRUB_RUNTIME_FILE.test(path.basename(src)) });
}
