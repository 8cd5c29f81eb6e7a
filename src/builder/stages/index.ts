// SPDX-License-Identifier: GPL-3.0-or-later
// The core of the build, top to bottom. Features add their stages between these (kernel modules
// and the reference after overlay, the toolkit before it, Secure Boot's signed binaries before the
// bootloader): features/index.ts composes the full list.
import type { Stage } from '../pipeline/stage.js';
import { bootstrapStage } from './bootstrap.js';
import { configureStage } from './configure.js';
import { overlayStage } from './overlay.js';
import { initramfsStage } from './initramfs.js';
import { squashfsStage } from './squashfs.js';
import { bootloaderStage } from './bootloader.js';
import { isoStage } from './iso.js';
import { outputsStage } from './outputs.js';

export const CORE_STAGES: readonly Stage[] = [
  bootstrapStage, // mmdebstrap -> cached base tree
  configureStage, // overlayfs upper layer: hostname, locale, user
  overlayStage, // self-test files, overlay folders, after-overlays hooks
  initramfsStage, // live-boot initrd current
  squashfsStage, // 10-base + 20-upper layers
  bootloaderStage, // GRUB BIOS + UEFI, one grub.cfg
  isoStage, // xorriso hybrid ISO
  outputsStage, // SHA256SUMS, packages manifest, build.json
];
