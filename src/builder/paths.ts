// SPDX-License-Identifier: GPL-3.0-or-later
// The one home of the builder's paths and names: where its own files are (whether it runs from
// src/ in tests or dist/ installed), the host files it reads, and where things go in the image
// and on the ISO. Everything else imports them from here.
import path from 'node:path';
import { findRepoRoot } from './profile/repo-root.js';
import { ARCHIVE_KEYRING } from '../shared/debian/archive.js';

let cached: string | undefined;

export function repoRoot(): string {
  cached ??= findRepoRoot();
  return cached;
}

export const DEFAULT_CACHE_DIR = '/var/cache/build-live';
export const DEFAULT_WORK_DIR = '/var/tmp/build-live';
export const DEFAULT_OUT_DIR = 'out';

// The builder's own files (relative to the repository).
/** Files copied into every image (the self-test contract). */
export const selftestDir = (repo: string): string => path.join(repo, 'image', 'selftest');
/** The responder bundle made by `npm run build`. */
export const responderBundle = (repo: string): string => path.join(repo, 'dist', 'responder', 'responder.mjs');
/** The toolkit's files on top of the bundle (wrapper, self-test check). */
export const toolkitDir = (repo: string): string => path.join(repo, 'image', 'toolkit');
/** The builder's own mmdebstrap hook folders (and the scripts they share, in lib/): part of the bootstrap's cache key. */
export const mmdebstrapHooksDir = (repo: string): string => path.join(repo, 'image', 'mmdebstrap-hooks');
/** The mmdebstrap hook that makes the initramfs once, after every package is installed (not per trigger). */
export const initramfsOnceHookDir = (repo: string): string => path.join(mmdebstrapHooksDir(repo), 'initramfs-once');
/** The same without the generation, for profiles whose initramfs stage regenerates it anyway (the initramfs is made once, there). */
export const initramfsDeferredHookDir = (repo: string): string => path.join(mmdebstrapHooksDir(repo), 'initramfs-deferred');

// Host files.
/** Debian's archive keyring: mmdebstrap, the reference and the archive trust chain verify with it. */
export { ARCHIVE_KEYRING };
/** GRUB's platform folders (i386-pc, x86_64-efi). */
export const GRUB_LIB = '/usr/lib/grub';
/** mmdebstrap's hook that runs dpkg under eatmydata (no fsync per unpacked file during the bootstrap). */
export const EATMYDATA_HOOK_DIR = '/usr/share/mmdebstrap/hooks/eatmydata';
/** mmdebstrap's hook that lays out the merged /usr itself (usr-is-merged instead of usrmerge and its perl). */
export const MERGED_USR_HOOK_DIR = '/usr/share/mmdebstrap/hooks/merged-usr';

// In the image.
export const RESPONDER_IN_IMAGE = 'usr/lib/forensic-live/responder.mjs';
export const REFERENCE_IN_IMAGE = 'usr/share/forensic-live/reference';

// On the ISO: live-boot stacks these, lowest first.
export const BASE_LAYER = '10-base.squashfs';
export const UPPER_LAYER = '20-upper.squashfs';
/** live/filesystem.module: the layers live-boot stacks, lowest first. */
export const FILESYSTEM_MODULE = `${BASE_LAYER}\n${UPPER_LAYER}\n`;

/** The forensic boot entry's id in grub.cfg (forensic mode makes it the default; the keyboard submenu is named after it). */
export const FORENSIC_ENTRY_ID = 'forensic';
