// SPDX-License-Identifier: GPL-3.0-or-later
// Forensic mode's boot menu: when a profile turns `forensic.enabled` on, a forensic entry becomes
// the default of the one grub.cfg that BIOS and UEFI both read (so the two menus cannot disagree),
// and the profile's own entries stay as a clearly labelled, non-forensic live mode.
// Applied once while resolving the profile, so build.json, grub.cfg and the self-test all see the
// same menu. Every option below was checked against bookworm's live-boot 1:20230131, systemd 252
// and the Debian 6.1 kernel config; see docs/forensic-mode.md for the evidence and the rejects.
import path from 'node:path';
import type { Boot, BootEntry, Overlay } from '../profile/types.js';
import type { Forensic } from './section.js';
import { FORENSIC_ENTRY_ID } from '../paths.js';

export { FORENSIC_ENTRY_ID };

/** Marks the non-forensic entries so nobody picks one thinking the disks are protected. */
export const LIVE_LABEL_SUFFIX = ' (NOT forensic: disks writable)';

/**
 * Kernel options of the forensic entry, each with the component that reads it.
 * Deliberately absent: ignore_uuid, persistence, findiso, fromiso, forcefsck, toram, swap (they
 * would let live-boot use, write or fsck another medium); noswap, nolvm, noraid, noautomount
 * (read by nothing in a bookworm image: live-config and grml are not part of it);
 * raid=noautodetect (Debian builds md as a module, and the kernel only autodetects with md built in).
 */
export const FORENSIC_KERNEL_OPTIONS: readonly string[] = [
  // Our own switch: the udev rule (image and initramfs), live-boot's 9995-forensic-live override,
  // the kernel-log watcher and the self-test checks act only when it is on the command line.
  'forensic',
  // live-boot 0020-read-only: blockdev --setro before it scans for its medium; the device list is
  // widened from sd/vd to every disk name by /etc/live/boot/forensic-live.conf.
  'read-only',
  // live-boot 9990-fstab.sh: write no fstab lines into the live root.
  'nofstab',
  // kernel (CONFIG_HIBERNATION=y), initramfs-tools and systemd-hibernate-resume-generator: no resume.
  'noresume',
  // systemd-fstab-generator: no swap units from fstab.
  'systemd.swap=no',
  // systemd-gpt-auto-generator: no swap/home/srv units from GPT partition types.
  'systemd.gpt_auto=0',
  // systemd-fsck: never run fsck.
  'fsck.mode=skip',
];

/** Options that must never reach a forensic boot, even through boot.kernel_options. */
export const FORBIDDEN_OPTIONS =
  /^(ignore_uuid|persistence(-.*)?|findiso=.*|fromiso=.*|isofrom=.*|forcefsck|fsckfix|toram(=.*)?|todisk=.*|live-media=.*|bootfrom=.*|swap(=.*)?|live-boot\.swap(=.*)?|resume=.*|fsck\.mode=force|fsck\.repair=.*)$/;

/** The boot menu with forensic mode applied (unchanged when it is off). */
export function forensicBoot(boot: Boot, forensic: Forensic): Boot {
  if (!forensic.enabled) return boot;
  const entry: BootEntry = { id: FORENSIC_ENTRY_ID, label: forensic.label, options: [...FORENSIC_KERNEL_OPTIONS] };
  const live = forensic.live_entries ? boot.entries.map((e) => ({ ...e, label: e.label + LIVE_LABEL_SUFFIX })) : [];
  return { ...boot, default: FORENSIC_ENTRY_ID, entries: [entry, ...live] };
}

/** The overlay forensic mode brings: added last, so no profile overlay can undo a protection. */
export const FORENSIC_OVERLAY = 'forensic';

export function forensicOverlays(overlays: Overlay[], forensic: Forensic, repoRoot: string): Overlay[] {
  if (!forensic.enabled) return overlays;
  return [...overlays.filter((o) => o.name !== FORENSIC_OVERLAY), { name: FORENSIC_OVERLAY, path: path.join(repoRoot, 'overlays', FORENSIC_OVERLAY) }];
}
