// SPDX-License-Identifier: GPL-3.0-or-later
// `responder umount`: undo exactly what `responder mount` did: unmount, take down a --replay
// overlay (dm snapshot, COW loop device and file, tmpfs), detach the loop device it attached,
// remove the mount point folder it created.
import { rmdirSync } from 'node:fs';
import path from 'node:path';
import type { Command } from '../cli/command.js';
import { parse } from '../cli/args.js';
import { ResponderError, UsageError } from '../lib/errors.js';
import { printJson, printText } from '../lib/output.js';
import { runProgram } from '../lib/run-program.js';
import { detachEwf } from '../mount/ewf.js';
import { removeReplayOverlay } from '../mount/replay.js';
import { loadUnlocked } from '../unlock/state.js';
import { currentMounts, loadState, saveState } from '../mount/state.js';

export const umountCommand: Command = {
  name: 'umount',
  summary: 'unmount what responder mount mounted and detach its loop device',
  help: `Usage: responder umount MOUNTPOINT [--json]

Unmounts MOUNTPOINT. When responder mount made it, also removes a --replay overlay (the dm
snapshot, its COW loop device and file: the replayed changes are gone), detaches the loop device
it attached and removes the mount point folder it created (as recorded in /run/responder/mounts.json). Devices
stay read-only (blockdev --setro is not undone: that is the safe state for evidence).`,
  async run(argv) {
    const parsed = parse('umount', argv, {});
    const [mpArg, ...extra] = parsed.positionals;
    if (!mpArg) throw new UsageError('missing MOUNTPOINT', 'see: responder umount --help');
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    const mountpoint = path.resolve(mpArg);
    const state = loadState();
    const record = state.find((r) => r.mountpoint === mountpoint);
    const mounted = currentMounts().some((m) => m.mountpoint === mountpoint);
    if (!mounted && !record) throw new ResponderError(`${mountpoint} is not mounted`);
    const done: string[] = [];
    if (mounted) {
      await runProgram(['umount', mountpoint]);
      done.push(`unmounted ${mountpoint}`);
    }
    // Before the evidence's loop device: the snapshot holds it open.
    if (record?.replay) done.push(...(await removeReplayOverlay(record.replay)));
    if (record?.loopDevice) {
      await runProgram(['losetup', '--detach', record.loopDevice]).catch((err: Error) => {
        // Already detached (autoclear, or by hand) is fine; anything else is reported.
        if (!/No such device|not found/i.test(err.message)) throw err;
      });
      done.push(`detached ${record.loopDevice}`);
    }
    if (record?.ewfMount) {
      await detachEwf(record.ewfMount).catch((err: Error) => {
        if (!/not mounted|no mount point|not found/i.test(err.message)) throw err;
      });
      done.push(`closed the E01 view ${record.ewfMount}`);
    }
    if (record?.createdMountpoint) {
      try {
        rmdirSync(mountpoint);
        done.push(`removed ${mountpoint}`);
      } catch {
        /* not empty or gone: leave it */
      }
    }
    if (record) saveState(state.filter((r) => r !== record));
    const luks = record && loadUnlocked().find((u) => u.mapping === record.source);
    if (luks) done.push(`the LUKS volume ${luks.mapping} stays open (mount it again, or close it with: responder lock ${luks.name})`);
    if ((parsed.values as { json?: boolean }).json) printJson({ mountpoint, actions: done, record: record ?? null });
    else printText(done.join('\n') + '\n');
    return 0;
  },
};
