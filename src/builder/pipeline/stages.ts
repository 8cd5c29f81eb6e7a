// SPDX-License-Identifier: GPL-3.0-or-later
// The build, top to bottom.
import type { Stage } from './stage.js';
import { bootstrapStage } from '../stages/bootstrap.js';
import { configureStage } from '../stages/configure.js';
import { overlayStage } from '../stages/overlay.js';
import { kernelModulesStage } from '../stages/kernel-modules.js';
import { referenceStage } from '../stages/reference.js';
import { initramfsStage } from '../stages/initramfs.js';
import { squashfsStage } from '../stages/squashfs.js';
import { bootloaderStage } from '../stages/bootloader.js';
import { isoStage } from '../stages/iso.js';
import { outputsStage } from '../stages/outputs.js';

export const STAGES: readonly Stage[] = [
  bootstrapStage, // mmdebstrap -> cached base tree
  configureStage, // overlayfs upper layer: hostname, locale, user
  overlayStage, // self-test files, overlay folders, after-overlays hooks
  kernelModulesStage, // extra kernel modules built for the image's kernel (when the profile has any)
  referenceStage, // trusted package reference for `responder verify` (when enabled)
  initramfsStage, // live-boot initrd current
  squashfsStage, // 10-base + 20-upper layers
  bootloaderStage, // GRUB BIOS + UEFI, one grub.cfg
  isoStage, // xorriso hybrid ISO
  outputsStage, // SHA256SUMS, packages manifest, build.json
];
