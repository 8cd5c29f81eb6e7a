// SPDX-License-Identifier: GPL-3.0-or-later
// The safe way to mount each file system read-only, and the ones we refuse. "Read-only" alone is
// not enough: ext3/4 replay their journal and XFS recovers its log even on `mount -o ro` (see
// docs in shared/forensic-guarantees.md); ntfs-3g clears $LogFile by default on read-write mounts.
import type { FsSignature } from '../disk/signature.js';

export const ALWAYS = ['ro', 'noexec', 'nodev', 'nosuid'];

export type MountPlan = { ok: true; program: 'mount' | 'ntfs-3g'; fstype: string; options: string[]; why: string; module?: string } | { ok: false; reason: string };

/** What a responder may choose per mount. */
export interface MountChoices {
  /** Replay the journal/log into a copy-on-write overlay (mount/replay.ts): ext3/4 and XFS. */
  replay?: boolean;
  /** APFS: the volume of the container to mount (the driver's default is 0). */
  volume?: number;
  /** APFS: a snapshot of that volume, by name. */
  snapshot?: string;
}

export function planMount(sig: FsSignature | undefined, choices: MountChoices = {}): MountPlan {
  if (sig?.type !== 'apfs' && (choices.volume !== undefined || choices.snapshot !== undefined)) {
    return { ok: false, reason: `--volume and --snapshot are for APFS containers, and this is ${sig ? sig.type : 'no known file system'}` };
  }
  if (!sig) return { ok: false, reason: 'no file system signature found (unknown, damaged, or not a file system): use `responder devices`/`acquire` and analyse the raw image instead' };
  if (choices.replay) return planReplay(sig);
  switch (sig.type) {
    case 'ext2':
    case 'ext3':
    case 'ext4':
      // The ext4 driver handles all three; noload skips the journal so nothing is replayed.
      return {
        ok: true,
        program: 'mount',
        fstype: 'ext4',
        options: [...ALWAYS, 'noload'],
        why: `noload: the journal is not replayed${sig.dirty ? ' (this one is dirty: its last changes stay in the journal, unseen)' : ''}`,
      };
    case 'xfs':
      return { ok: true, program: 'mount', fstype: 'xfs', options: [...ALWAYS, 'norecovery'], why: 'norecovery: the log is not replayed (files changed just before shutdown may look inconsistent)' };
    case 'btrfs':
      // rescue=nologreplay: the tree log is not replayed (kernel >= 5.9; bookworm has 6.1).
      return { ok: true, program: 'mount', fstype: 'btrfs', options: [...ALWAYS, 'rescue=nologreplay'], why: 'rescue=nologreplay: the tree log is not replayed' };
    case 'vfat':
      return { ok: true, program: 'mount', fstype: 'vfat', options: [...ALWAYS], why: 'FAT has no journal; read-only is enough' };
    case 'exfat':
      return { ok: true, program: 'mount', fstype: 'exfat', options: [...ALWAYS], why: 'exFAT only marks the volume dirty on read-write mounts' };
    case 'iso9660':
      return { ok: true, program: 'mount', fstype: 'iso9660', options: [...ALWAYS], why: 'ISO 9660 is read-only by nature' };
    case 'ntfs':
      // ntfs-3g resets $LogFile and may remove hiberfil.sys only on read-write mounts (its
      // `recover` default and `remove_hiberfile`); with `ro` it opens the device read-only and
      // mounts even an unclean or hibernated volume without touching it. `norecover` would make it
      // refuse unclean volumes, which is the opposite of what a responder needs.
      return { ok: true, program: 'ntfs-3g', fstype: 'ntfs-3g', options: [...ALWAYS, 'show_sys_files'], why: 'ntfs-3g -o ro: $LogFile and hiberfil.sys are left alone' };
    case 'swap':
      return { ok: false, reason: 'a swap area is not a file system (its contents are memory pages: acquire it and analyse the image)' };
    case 'swsuspend':
      return { ok: false, reason: 'a hibernation image (memory of the suspended system) is not a file system: acquire it, do not resume or mount it' };
    case 'LVM2_member':
      return { ok: false, reason: 'an LVM2 physical volume: activating LVM can write metadata and resync mirrors; acquire the disk and examine the copy' };
    case 'linux_raid_member':
      return { ok: false, reason: 'an md RAID member: assembling or mounting one member alone can desynchronise the array; acquire every member and assemble the copies' };
    case 'crypto_LUKS':
      return { ok: false, reason: 'LUKS-encrypted: open it read-only first with responder unlock SOURCE [NAME], then mount /dev/mapper/NAME' };
    case 'BitLocker':
      return { ok: false, reason: 'BitLocker-encrypted: opening BitLocker is not supported yet; acquire it and decrypt the copy elsewhere with the recovery key' };
    case 'apfs':
      return planApfs(choices);
    case 'jbd':
      return { ok: false, reason: 'an external ext3/4 journal device, not a file system' };
    default:
      return { ok: false, reason: `${sig.type}: no known safe read-only mount for this format` };
  }
}

// With --replay the device mounted is the dm snapshot over the evidence, so the kernel's normal
// recovery may write: its writes land in the COW store. Only formats whose replay we prove.
function planReplay(sig: FsSignature): MountPlan {
  const why = 'replayed into a copy-on-write overlay (device-mapper snapshot, changes in RAM or the --cow-dir file): the latest state is visible, the evidence device is only read';
  switch (sig.type) {
    case 'ext3':
    case 'ext4':
      return { ok: true, program: 'mount', fstype: 'ext4', options: [...ALWAYS], why: `journal ${why}` };
    case 'xfs':
      // nouuid: the same file system may be mounted without --replay at the same time.
      return { ok: true, program: 'mount', fstype: 'xfs', options: [...ALWAYS, 'nouuid'], why: `log ${why}` };
    case 'ext2':
      return { ok: false, reason: '--replay: ext2 has no journal, there is nothing to replay (mount it without --replay)' };
    default:
      return { ok: false, reason: `--replay is for ext3/ext4 and XFS (a journal or log the kernel replays); not for ${sig.type}` };
  }
}

// linux-apfs-rw (bookworm's apfs-dkms 0.3.x, super.c parse_options): without `readwrite` it sets
// SB_RDONLY itself and, with `ro`, opens the device FMODE_READ only; `readwrite` is its
// experimental write support ("will corrupt your container") and is never passed. Any option it
// does not know fails the mount (EINVAL), so nothing else is added. Snapshots are always read-only.
function planApfs(choices: MountChoices): MountPlan {
  const options = [...ALWAYS];
  if (choices.volume !== undefined) options.push(`vol=${choices.volume}`);
  if (choices.snapshot !== undefined) options.push(`snap=${choices.snapshot}`);
  const which = `volume ${choices.volume ?? 0}${choices.snapshot !== undefined ? `, snapshot "${choices.snapshot}"` : ''}`;
  return { ok: true, program: 'mount', fstype: 'apfs', options, module: 'apfs', why: `APFS ${which}: the apfs driver only writes when given \`readwrite\`, which is never passed` };
}

/** A volume number and snapshot name that cannot smuggle other options into the option string. */
export function parseApfsChoices(volume: string | undefined, snapshot: string | undefined): MountChoices | string {
  const out: MountChoices = {};
  if (volume !== undefined) {
    if (!/^\d{1,3}$/.test(volume)) return `--volume: not a volume number: "${volume}"`;
    out.volume = Number(volume);
  }
  if (snapshot !== undefined) {
    // The kernel splits mount options at commas: "x,readwrite" must never reach it.
    if (snapshot === '' || /[,\s\\"'\x00-\x1f\x7f]/.test(snapshot))
      return `--snapshot: a snapshot name with a comma, space, quote, backslash or control character cannot be passed safely: "${snapshot}"`;
    out.snapshot = snapshot;
  }
  return out;
}
