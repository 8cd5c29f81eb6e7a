// SPDX-License-Identifier: GPL-3.0-or-later
// The mmdebstrap command line for a profile: a pure function, so it can be tested without a network.
import { ARCHIVE_KEYRING } from '../../shared/debian/archive.js';
import type { Profile } from '../profile/index.js';
import { EATMYDATA_HOOK_DIR, initramfsDeferredHookDir, initramfsOnceHookDir, MERGED_USR_HOOK_DIR } from '../paths.js';

export { ARCHIVE_KEYRING };

/**
 * The hook directories every bootstrap uses, in order (eatmydata first: it wraps dpkg for the
 * rest; paths.ts says why each). The eatmydata hook's .debs come through apt, hash-checked against
 * the signed indexes like every other package, and it leaves no trace of eatmydata in the tree.
 * `deferInitramfs`: the tree gets no initramfs at all (the initramfs stage generates it from the
 * finished image tree anyway: initramfsDeferred in initramfs.ts) instead of one built at the end.
 */
export function bootstrapHookDirs(repoRoot: string, deferInitramfs = false): string[] {
  return [EATMYDATA_HOOK_DIR, MERGED_USR_HOOK_DIR, deferInitramfs ? initramfsDeferredHookDir(repoRoot) : initramfsOnceHookDir(repoRoot)];
}

/**
 * Kernel module trees a slim live system never loads: sound, TV/webcam (media), InfiniBand,
 * industrial I/O, staging, comedi, ISDN, the GPUs that do nothing without non-free firmware
 * (amdgpu, radeon, nouveau; Intel and simple framebuffers stay), and radios: Wi-Fi and Bluetooth
 * (no profile installs iw, wpasupplicant or bluez to drive them, most chips need non-free
 * firmware, and a forensic system must not transmit). About 160 MB of the tree's 780 MB, and
 * mkinitramfs has fewer files to look at. Storage, filesystems, USB, wired network (USB adapters
 * included), input and crypto stay. The package ships them under /lib/modules.
 */
export const SLIM_MODULE_TREES = [
  'sound',
  'drivers/media',
  'drivers/infiniband',
  'drivers/iio',
  'drivers/staging',
  'drivers/comedi',
  'drivers/isdn',
  'drivers/gpu/drm/amd',
  'drivers/gpu/drm/radeon',
  'drivers/gpu/drm/nouveau',
  'drivers/net/wireless',
  'net/wireless',
  'net/mac80211',
  'drivers/bluetooth',
  'net/bluetooth',
];

/** dpkg path-exclude rules for `slim: true`: no docs (but keep copyright notices), man pages, info, locales or the modules above. */
export const SLIM_DPKG_OPTIONS = [
  'path-exclude=/usr/share/doc/*',
  'path-include=/usr/share/doc/*/copyright',
  'path-exclude=/usr/share/man/*',
  'path-exclude=/usr/share/info/*',
  'path-exclude=/usr/share/locale/*',
  'path-include=/usr/share/locale/locale.alias',
  'path-exclude=/usr/share/lintian/*',
  ...SLIM_MODULE_TREES.map((t) => `path-exclude=/lib/modules/*/kernel/${t}/*`),
];

/** The apt source lines: the suite, its -updates and -security suites as the profile asks. */
export function sourceLines(p: Profile): string[] {
  const d = p.distribution;
  const components = d.components.join(' ');
  const lines = [`deb ${d.mirror} ${d.suite} ${components}`];
  if (d.updates) lines.push(`deb ${d.mirror} ${d.suite}-updates ${components}`);
  if (d.security_mirror) lines.push(`deb ${d.security_mirror} ${d.suite}-security ${components}`);
  return lines;
}

/**
 * mmdebstrap into `target` (a directory). Signatures are always checked against Debian's archive
 * keyring; downloaded .debs are synced in from and out to `debCache` so a cold rebuild of another
 * package set does not download the same files again. `hookDirs` (see bootstrapHookDirs) come
 * before the builder's own hooks. --verbose: apt's and dpkg's lines are what the phase timings read.
 */
export function mmdebstrapArgv(p: Profile, target: string, debCache: string, hookDirs: readonly string[] = []): string[] {
  const argv = [
    'mmdebstrap',
    '--verbose',
    '--mode=root',
    `--variant=${p.distribution.variant}`,
    `--architectures=${p.distribution.architecture}`,
    `--keyring=${ARCHIVE_KEYRING}`,
    '--aptopt=Acquire::Retries "3"',
    // The caller creates var/cache/apt/archives in the target first, so the .deb cache can be synced in.
    '--skip=check/empty',
    ...hookDirs.map((d) => `--hook-dir=${d}`),
    `--setup-hook=sync-in ${debCache} /var/cache/apt/archives/`,
    `--customize-hook=sync-out /var/cache/apt/archives ${debCache}`,
  ];
  // Snapshots keep their old InRelease, past its Valid-Until: accepted, signature still checked.
  if (p.distribution.snapshot) argv.push('--aptopt=Acquire::Check-Valid-Until "false"');
  if (p.packages.length) argv.push(`--include=${p.packages.join(',')}`);
  if (p.slim) for (const opt of SLIM_DPKG_OPTIONS) argv.push(`--dpkgopt=${opt}`);
  argv.push(p.distribution.suite, target, ...sourceLines(p));
  return argv;
}
