// SPDX-License-Identifier: GPL-3.0-or-later
// The build, top to bottom.
import type { Stage } from '../pipeline/stage.js';
import { bootstrapStage } from './bootstrap.js';
import { configureStage } from './configure.js';
import { overlayStage } from './overlay.js';
import { kernelModulesStage } from './kernel-modules.js';
import { referenceStage } from './reference.js';
import { initramfsStage } from './initramfs.js';
import { squashfsStage } from './squashfs.js';
import { bootloaderStage } from './bootloader.js';
import { isoStage } from './iso.js';
import { outputsStage } from './outputs.js';

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
