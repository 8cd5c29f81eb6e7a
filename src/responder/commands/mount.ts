// SPDX-License-Identifier: GPL-3.0-or-later
// `responder mount`: mount evidence read-only the safe way for its file system, never replaying a
// journal into the evidence, always noexec,nodev,nosuid; image files through a read-only loop
// device. --replay replays it into a copy-on-write overlay instead (mount/replay.ts).
import { mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from '../cli/command.js';
import { STALE_NOTE, xfsLogState } from '../mount/stale.js';
import { parse } from '../cli/args.js';
import { ResponderError, UsageError } from '../lib/errors.js';
import { printJson, printText } from '../lib/output.js';
import { runProgram } from '../lib/run-program.js';
import { probeFilesystem } from '../disk/probe.js';
import { readPartitionTable } from '../disk/partitions.js';
import { explainNoFilesystem } from '../mount/explain.js';
import { ensureFilesystemDriver } from '../mount/kernel-module.js';
import { parseApfsChoices, planMount } from '../mount/plan.js';
import { resolveSource, splitPartitionSuffix } from '../mount/source.js';
import { createReplayOverlay, removeReplayOverlay, type ReplayOverlay } from '../mount/replay.js';
import { attachEwf, detachEwf, isEwfFile, type EwfAttachment } from '../mount/ewf.js';
import { attachReadOnly } from '../mount/attach.js';
import { currentMounts, loadState, saveState, type MountRecord } from '../mount/state.js';

const HELP = `Usage: responder mount SOURCE [MOUNTPOINT] [--partition N] [--volume N] [--snapshot NAME] [--json]
       responder mount SOURCE [MOUNTPOINT] --replay [--cow-dir DIR] [--partition N] [--json]

Mounts SOURCE read-only, the safe way for its file system, with noexec,nodev,nosuid:
  ext2/3/4   ro,noload             (the journal is never replayed, even when dirty)
  XFS        ro,norecovery         (the log is never replayed)
  btrfs      ro,rescue=nologreplay
  NTFS       ntfs-3g -o ro         ($LogFile and hiberfil.sys untouched)
  APFS       ro                    (apfs module; its write support needs \`readwrite\`, never given)
  vfat, exFAT, ISO 9660: ro
It refuses what cannot be mounted safely (swap, hibernation images, LVM PVs, RAID members,
LUKS/BitLocker, unknown) and says why. It never runs fsck.

APFS: a container holds volumes; --volume N mounts volume N (default 0), --snapshot NAME a
snapshot of it. On a Mac disk the container is a GPT partition: mount it as disk.raw:N.

--replay (ext3/ext4, XFS): a dirty journal or log holds the newest changes (often the intruder's
last steps), which the safe mount above does not show ("STALE VIEW"). --replay puts a
device-mapper snapshot over the read-only evidence device and mounts that with the kernel's
normal recovery, still ro,noexec,nodev,nosuid: the replay writes only to the snapshot's
copy-on-write store, a sparse file in a private RAM tmpfs, or in --cow-dir DIR (e.g. a folder on
the collection disk, for a big log on a machine with little RAM). The evidence device is only
read; umount removes the snapshot, its loop device and the COW file.

SOURCE is one of:
  /dev/sdb1            a partition (or a whole device holding a file system)
  /dev/sdb:2           partition 2 of a device (same as /dev/sdb --partition 2)
  disk.raw             an image file holding one file system
  disk.raw:2           partition 2 of a disk image (MBR or GPT, read by responder)
  case.E01, case.E01:2 an E01 (EWF) segment set, e.g. from responder acquire --format ewf: its
                       media data is shown read-only by libewf's ewfmount (FUSE), then as above
Image files are attached to a read-only loop device (losetup --read-only, with --offset and
--sizelimit for a partition). A real device is first set read-only with blockdev --setro.

A LUKS volume opened with responder unlock is mounted as /dev/mapper/NAME, like any device.

MOUNTPOINT defaults to /mnt/evidence/NAME (created, and removed again by umount). What was
created is recorded in /run/responder/mounts.json; undo it with: responder umount MOUNTPOINT`;

function defaultName(src: string, partition?: number, volume?: number, snapshot?: string, replay?: boolean): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');
  const base = safe(path.basename(src)) || 'evidence';
  return `${base}${partition ? `-p${partition}` : ''}${volume ? `-vol${volume}` : ''}${snapshot !== undefined ? `-snap-${safe(snapshot)}` : ''}${replay ? '-replayed' : ''}`;
}

export const mountCommand: Command = {
  name: 'mount',
  summary: 'mount a device, partition or image read-only (journals replayed only into a RAM overlay, --replay)',
  help: HELP,
  async run(argv) {
    const parsed = parse('mount', argv, { partition: { type: 'string' }, volume: { type: 'string' }, snapshot: { type: 'string' }, replay: { type: 'boolean' }, 'cow-dir': { type: 'string' } });
    const values = parsed.values as { partition?: string; volume?: string; snapshot?: string; replay?: boolean; 'cow-dir'?: string; json?: boolean };
    const [spec, mpArg, ...extra] = parsed.positionals;
    if (!spec) throw new UsageError('missing SOURCE', 'see: responder mount --help');
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, 'see: responder mount --help');

    const choices = parseApfsChoices(values.volume, values.snapshot);
    if (typeof choices === 'string') throw new UsageError(choices, 'see: responder mount --help');
    if (values['cow-dir'] !== undefined && !values.replay) throw new UsageError('--cow-dir goes with --replay', 'see: responder mount --help');
    if (values.replay) choices.replay = true;
    const cowDir = values['cow-dir'] === undefined ? undefined : path.resolve(values['cow-dir']);

    // An E01 set: ewfmount shows its media data as one raw image, which takes the ordinary path.
    const { file, partition } = splitPartitionSuffix(spec, values.partition);
    let ewf: EwfAttachment | undefined;
    if (isEwfFile(file)) ewf = await attachEwf(path.resolve(file));
    try {
      return await mountSource(
        ewf ? ewf.raw : spec,
        ewf ? (partition === undefined ? undefined : String(partition)) : values.partition,
        choices,
        mpArg,
        values.json,
        ewf,
        ewf ? path.resolve(file) : undefined,
        cowDir,
      );
    } catch (err) {
      if (ewf) await detachEwf(ewf.fuseDir).catch(() => undefined);
      throw err;
    }
  },
};

async function mountSource(
  spec: string,
  partitionFlag: string | undefined,
  choices: Exclude<ReturnType<typeof parseApfsChoices>, string>,
  mpArg: string | undefined,
  json: boolean | undefined,
  ewf: EwfAttachment | undefined,
  ewfFile: string | undefined,
  cowDir: string | undefined,
): Promise<number> {
  const values = { partition: partitionFlag, json };
  const { src, reader, close } = resolveSource(spec, values.partition);
  if (ewfFile) src.path = ewfFile; // name the evidence, not its FUSE view, in messages and the record
  let sig;
  let explained: string | undefined;
  try {
    sig = probeFilesystem(reader);
    if (!sig) explained = explainNoFilesystem(spec, src, src.partition === undefined ? readPartitionTable(reader) : undefined);
  } finally {
    close();
  }
  const what = `${src.path}${src.partition ? ` partition ${src.partition}` : ''}`;
  const plan = planMount(sig, choices);
  if (!plan.ok) throw new ResponderError(`refusing to mount ${what}: ${explained ?? plan.reason}`);
  // Before anything is attached: a missing driver is one clear line, with nothing to undo.
  if (plan.module) await ensureFilesystemDriver(plan.fstype, plan.module);

  const mounts = currentMounts();
  if (src.devno && !src.partition && mounts.some((m) => m.devno === src.devno)) throw new ResponderError(`${src.path} is already mounted (${mounts.find((m) => m.devno === src.devno)!.mountpoint})`);
  const mountpoint = path.resolve(mpArg ?? path.join('/mnt/evidence', defaultName(src.path, src.partition, choices.volume, choices.snapshot, choices.replay)));
  if (mounts.some((m) => m.mountpoint === mountpoint)) throw new ResponderError(`${mountpoint} is already a mount point`, 1, 'choose another MOUNTPOINT or run: responder umount ' + mountpoint);

  let createdMountpoint = false;
  try {
    if (readdirSync(mountpoint).length) throw new ResponderError(`${mountpoint} is not empty`, 1, 'mount onto an empty folder');
  } catch (err) {
    if (err instanceof ResponderError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new ResponderError(`${mountpoint}: ${(err as Error).message}`);
    mkdirSync(mountpoint, { recursive: true, mode: 0o755 });
    createdMountpoint = true;
  }

  let device: string;
  let loopDevice: string | undefined;
  let overlay: ReplayOverlay | undefined;
  const undo: (() => Promise<unknown>)[] = [];
  if (createdMountpoint) undo.push(async () => rmdirSync(mountpoint));
  try {
    const attached = await attachReadOnly(src, ewf ? ewf.raw : src.path);
    device = attached.device;
    loopDevice = attached.loopDevice;
    if (loopDevice) {
      const loop = loopDevice;
      undo.push(() => runProgram(['losetup', '--detach', loop]));
    }
    if (choices.replay) {
      overlay = await createReplayOverlay(device, cowDir);
      const o = overlay;
      undo.push(() => removeReplayOverlay(o));
    }
    const opts = plan.options.join(',');
    const target = overlay?.device ?? device;
    const argv2 = plan.program === 'ntfs-3g' ? ['ntfs-3g', '-o', opts, target, mountpoint] : ['mount', '-t', plan.fstype, '-o', opts, target, mountpoint];
    await runProgram(argv2);
  } catch (err) {
    for (const u of undo.reverse()) await u().catch(() => undefined);
    throw err;
  }

  // A dirty journal or log means the view is older than the file system's last state: say so
  // (read from the evidence device itself; with --replay the view is not stale, it was replayed).
  const dirtyLog = sig!.type === 'xfs' ? (await xfsLogState(device!)) === 'dirty' : Boolean(sig!.dirty);
  const stale = dirtyLog && !overlay;
  const record: MountRecord = {
    mountpoint,
    source: src.path,
    partition: src.partition,
    device: overlay?.device ?? device,
    loopDevice,
    replay: overlay,
    offset: src.partition ? src.offset : undefined,
    sizeLimit: src.partition ? src.size : undefined,
    ewfMount: ewf?.fuseDir,
    fsType: sig!.type,
    label: sig!.label,
    uuid: sig!.uuid,
    options: plan.options,
    createdMountpoint,
    mountedAt: new Date().toISOString(),
  };
  saveState([...loadState().filter((r) => r.mountpoint !== mountpoint), record]);
  if (values.json) printJson({ ...record, why: plan.why, dirty: sig!.dirty ?? dirtyLog, stale, replayed: Boolean(overlay) });
  else {
    printText(`mounted ${what} (${sig!.type}${sig!.label ? ` "${sig!.label}"` : ''}) on ${mountpoint}\n`);
    printText(`  device ${overlay ? `${overlay.device} (snapshot of ${device}, COW ${overlay.cowFile})` : device}, options ${plan.options.join(',')}\n  ${plan.why}\n`);
    if (stale) printText(`  ${STALE_NOTE}: responder umount ${mountpoint} && responder mount ${src.path}${src.partition ? `:${src.partition}` : ''} ${mountpoint} --replay\n`);
    else if (overlay)
      printText(
        `  ${dirtyLog ? 'the journal/log was dirty: its changes were replayed into the overlay (the evidence holds them unreplayed)' : 'the journal/log was clean: the overlay holds nothing'}\n`,
      );
    printText(`  undo with: responder umount ${mountpoint}\n`);
  }
  return 0;
}
