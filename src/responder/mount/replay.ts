// SPDX-License-Identifier: GPL-3.0-or-later
// `responder mount --replay`: the latest state of a file system whose journal/log was never
// replayed, without writing the evidence. A device-mapper snapshot (non-persistent, 'N') sits on
// the read-only evidence device; its copy-on-write store is a loop device over a sparse file in a
// private tmpfs (RAM) or in a folder the responder names (the collection disk). The kernel's normal
// mount then replays the journal into the snapshot: every write lands in the COW file, the
// evidence device is only read (dm-snapshot opens its origin FMODE_READ).
import { closeSync, ftruncateSync, mkdirSync, openSync, rmdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { stateDir } from '../lib/state-dir.js';
import { randomBytes } from 'node:crypto';
import { ResponderError } from '../lib/errors.js';
import { runProgram } from '../lib/run-program.js';

export interface ReplayOverlay {
  /** The dm snapshot's name (/dev/mapper/NAME is what gets mounted). */
  dmName: string;
  device: string;
  /** The loop device holding the COW store, and its sparse file. */
  cowLoop?: string;
  cowFile?: string;
  /** The private tmpfs the COW file lives in (none when --cow-dir named a folder). */
  cowTmpfs?: string;
}

/** A kernel device path: nothing that could split the dm table line into more arguments. */
const DEVICE_PATH = /^\/dev\/[A-Za-z0-9._/-]+$/;

/**
 * Builds the overlay on `origin` (a read-only block device). On failure everything already made is
 * taken down again before the error is thrown, so nothing is left behind.
 */
export async function createReplayOverlay(origin: string, cowDir?: string): Promise<ReplayOverlay> {
  if (!DEVICE_PATH.test(origin)) throw new ResponderError(`--replay: unexpected device path "${origin}"`);
  const id = randomBytes(4).toString('hex');
  const overlay: ReplayOverlay = { dmName: `responder-replay-${id}`, device: `/dev/mapper/responder-replay-${id}` };
  try {
    const sectors = Number((await runProgram(['blockdev', '--getsz', origin])).stdout.trim());
    if (!Number.isSafeInteger(sectors) || sectors <= 0) throw new ResponderError(`--replay: blockdev --getsz ${origin} gave no size`);
    let dir = cowDir;
    if (dir === undefined) {
      // A tmpfs of our own (the kernel's default size limit, half the RAM): /run itself is often
      // capped at a tenth of it, too little for a big XFS log. Unmounting it frees every page.
      const base = path.join(stateDir(), 'cow');
      mkdirSync(base, { recursive: true, mode: 0o700 });
      dir = path.join(base, id);
      mkdirSync(dir, { mode: 0o700 });
      overlay.cowTmpfs = dir;
      await runProgram(['mount', '-t', 'tmpfs', '-o', 'mode=0700,nosuid,nodev,noexec', `responder-cow-${id}`, dir]);
    } else if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
      throw new ResponderError(`--cow-dir ${dir}: not a folder`);
    }
    // Sparse: only the chunks the replay writes take space. A non-persistent snapshot keeps its
    // table in kernel memory, so the store never needs more than the origin's size.
    overlay.cowFile = path.join(dir, `responder-cow-${id}.img`);
    const fd = openSync(overlay.cowFile, 'wx', 0o600);
    try {
      ftruncateSync(fd, sectors * 512 + (1 << 20));
    } finally {
      closeSync(fd);
    }
    overlay.cowLoop = (await runProgram(['losetup', '--find', '--show', overlay.cowFile])).stdout.trim();
    if (!/^\/dev\/loop\d+$/.test(overlay.cowLoop)) throw new ResponderError(`losetup printed no loop device ("${overlay.cowLoop}")`);
    // Forensic mode's udev rule marks every loop device with a file attached read-only; this one
    // holds our own RAM file and must take the snapshot's writes. Let udev finish first.
    await settle();
    await runProgram(['blockdev', '--setrw', overlay.cowLoop]);
    // The target module is normally loaded on demand; modprobe first only to say clearly when it is missing.
    await runProgram(['modprobe', 'dm_snapshot']).catch(() => undefined);
    // Chunk size 8 sectors (4 KiB): the replay rewrites scattered metadata blocks.
    await runProgram(['dmsetup', 'create', overlay.dmName, '--table', `0 ${sectors} snapshot ${origin} ${overlay.cowLoop} N 8`]).catch((err: Error) => {
      if (/mapper\/control|device-mapper|dm_mod|unknown target type/i.test(err.message))
        throw new ResponderError(
          `--replay needs the kernel's device-mapper snapshot target (dm_mod, dm_snapshot), which this system lacks: ${err.message}`,
          1,
          'mount without --replay (stale view), or replay on a copy of the image elsewhere',
        );
      throw err;
    });
    await settle();
    // The new dm device was marked read-only by the same rule; the journal replay writes to it
    // (into the COW store), and ext4/XFS refuse to recover on a read-only device.
    await runProgram(['blockdev', '--setrw', overlay.device]);
    return overlay;
  } catch (err) {
    await removeReplayOverlay(overlay).catch(() => undefined);
    throw err;
  }
}

/** Takes the overlay down in reverse order; what was done, for umount's report. Tolerates parts already gone. */
export async function removeReplayOverlay(overlay: ReplayOverlay): Promise<string[]> {
  const done: string[] = [];
  const problems: string[] = [];
  const step = async (what: string, fn: () => Promise<unknown>, gone: RegExp) => {
    try {
      await fn();
      done.push(what);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (!gone.test(msg)) problems.push(msg);
    }
  };
  await step(`removed the replay snapshot ${overlay.dmName}`, () => runProgram(['dmsetup', 'remove', '--retry', overlay.dmName]), /No such device|not found|does not exist/i);
  if (overlay.cowLoop) await step(`detached the COW loop device ${overlay.cowLoop}`, () => runProgram(['losetup', '--detach', overlay.cowLoop!]), /No such device|not found/i);
  if (overlay.cowFile) await step(`deleted the COW file ${overlay.cowFile}`, async () => rmSync(overlay.cowFile!), /ENOENT/);
  if (overlay.cowTmpfs) {
    await step(`unmounted the COW tmpfs ${overlay.cowTmpfs}`, () => runProgram(['umount', overlay.cowTmpfs!]), /not mounted|no mount point/i);
    try {
      rmdirSync(overlay.cowTmpfs);
    } catch {
      /* gone already */
    }
  }
  if (problems.length) throw new ResponderError(`taking down the replay overlay: ${problems.join('; ')}`, 1, `check: dmsetup ls; losetup -a; then remove what is left by hand`);
  return done;
}

/** Waits for udev to finish the events of a new device (its RUN programs included); no udev: nothing to wait for. */
async function settle(): Promise<void> {
  await runProgram(['udevadm', 'settle', '--timeout=30']).catch(() => undefined);
}
