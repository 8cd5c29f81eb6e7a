// SPDX-License-Identifier: GPL-3.0-or-later
// `responder unlock` / `responder lock`: a LUKS1/LUKS2 volume opened read-only with the live
// system's cryptsetup, as /dev/mapper/NAME, which `responder mount` then takes like any device.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from '../cli/command.js';
import { parse } from '../cli/args.js';
import { ResponderError, UsageError } from '../lib/errors.js';
import { printJson, printText } from '../lib/output.js';
import { runProgram } from '../lib/run-program.js';
import { probeFilesystem } from '../disk/probe.js';
import { resolveSource } from '../mount/source.js';
import { attachReadOnly } from '../mount/attach.js';
import { isEwfFile } from '../mount/ewf.js';
import { closeLuks, openLuks, testLuksKey, type LuksKey } from '../unlock/cryptsetup.js';
import { readPassphrase } from '../unlock/passphrase.js';
import { checkMappingName, loadUnlocked, saveUnlocked, type UnlockRecord } from '../unlock/state.js';

export const BITLOCKER_UNSUPPORTED =
  'BitLocker-encrypted: opening BitLocker is not supported yet (it could not be tested here); acquire the volume and decrypt the copy elsewhere with the recovery key';

const UNLOCK_HELP = `Usage: responder unlock SOURCE [NAME] [--partition N] [--key-file FILE] [--json]

Opens a LUKS1 or LUKS2 volume read-only as /dev/mapper/NAME (default: luks-<source name>) with
the live system's cryptsetup (open --readonly): the evidence device is set read-only first (an
image file gets a read-only loop device), the mapping itself is read-only, and nothing is written
to the volume or its header. Then mount it like any device:
  responder mount /dev/mapper/NAME [MOUNTPOINT] [--replay]
and close it, after responder umount, with: responder lock NAME

SOURCE is a device, a partition, an image file or FILE:N, as for responder mount.
The key: typed at the terminal (not echoed), or the first line of stdin when stdin is not a
terminal, or --key-file FILE (the whole file is the key, as cryptsetup --key-file reads it). A
passphrase is handed to cryptsetup through a pipe: never an argument, never logged or written.
Header and key are checked first (cryptsetup --test-passphrase), so a refusal says why: wrong
passphrase, no valid LUKS header, out of memory, wrong device, name in use.
BitLocker volumes are recognised but not supported yet.`;

function defaultName(src: string, partition?: number): string {
  const base =
    path
      .basename(src)
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 48) || 'volume';
  return `luks-${base}${partition ? `-p${partition}` : ''}`;
}

export const unlockCommand: Command = {
  name: 'unlock',
  summary: 'open a LUKS1/LUKS2 volume read-only as /dev/mapper/NAME (cryptsetup --readonly)',
  help: UNLOCK_HELP,
  async run(argv) {
    const parsed = parse('unlock', argv, { partition: { type: 'string' }, 'key-file': { type: 'string' } });
    const values = parsed.values as { partition?: string; 'key-file'?: string; json?: boolean };
    const [spec, nameArg, ...extra] = parsed.positionals;
    if (!spec) throw new UsageError('missing SOURCE', 'see: responder unlock --help');
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, 'see: responder unlock --help');
    if (isEwfFile(spec.replace(/:\d+$/, '')))
      throw new ResponderError(`${spec}: unlocking inside an E01 set is not supported yet`, 1, 'convert it to a raw image (ewfexport) or unlock the original device');

    const { src, reader, close } = resolveSource(spec, values.partition);
    let sig;
    try {
      sig = probeFilesystem(reader);
    } finally {
      close();
    }
    const what = `${src.path}${src.partition ? ` partition ${src.partition}` : ''}`;
    if (sig?.type === 'BitLocker') throw new ResponderError(`${what}: ${BITLOCKER_UNSUPPORTED}`);
    if (sig?.type !== 'crypto_LUKS') throw new ResponderError(`${what} is not a LUKS volume (${sig ? `it holds ${sig.type}` : 'no LUKS header, no known signature'})`, 1, 'see: responder devices');

    const name = nameArg ?? defaultName(src.path, src.partition);
    const bad = checkMappingName(name);
    if (bad) throw new UsageError(bad, 'see: responder unlock --help');
    if (existsSync(`/dev/mapper/${name}`)) throw new ResponderError(`/dev/mapper/${name} already exists`, 1, 'choose another NAME, or close it with: responder lock ' + name);

    let key: LuksKey;
    if (values['key-file'] !== undefined) {
      const file = path.resolve(values['key-file']);
      if (!statSync(file, { throwIfNoEntry: false })?.isFile()) throw new ResponderError(`--key-file ${file}: not a file`);
      key = { keyFile: file };
    } else {
      key = { passphrase: await readPassphrase(`Passphrase for the LUKS${sig.version ?? ''} volume ${what}: `) };
    }

    let loopDevice: string | undefined;
    try {
      const attached = await attachReadOnly(src);
      loopDevice = attached.loopDevice;
      await testLuksKey(attached.device, key, what);
      await openLuks(attached.device, name, key, what);
      const record: UnlockRecord = {
        name,
        mapping: `/dev/mapper/${name}`,
        source: src.path,
        partition: src.partition,
        device: attached.device,
        loopDevice,
        luksVersion: sig.version,
        openedAt: new Date().toISOString(),
      };
      await runProgram(['udevadm', 'settle', '--timeout=30']).catch(() => undefined);
      // cryptsetup --readonly loads a read-only table: the kernel refuses every write to it.
      const ro = (await runProgram(['blockdev', '--getro', record.mapping])).stdout.trim();
      if (ro !== '1') {
        await closeLuks(name).catch(() => undefined);
        throw new ResponderError(`${record.mapping} is not read-only after cryptsetup open --readonly (blockdev --getro: ${ro}): closed again`);
      }
      saveUnlocked([...loadUnlocked().filter((r) => r.name !== name), record]);
      loopDevice = undefined; // recorded: responder lock detaches it
      if (values.json) printJson(record);
      else
        printText(
          `opened ${what} (LUKS${sig.version ?? ''}) read-only as ${record.mapping}\n  mount it with: responder mount ${record.mapping} [MOUNTPOINT] [--replay]\n  close it with: responder lock ${name}\n`,
        );
      return 0;
    } finally {
      if ('passphrase' in key) key.passphrase.fill(0);
      if (loopDevice) await runProgram(['losetup', '--detach', loopDevice]).catch(() => undefined);
    }
  },
};

export const lockCommand: Command = {
  name: 'lock',
  summary: 'close a LUKS volume responder unlock opened (after responder umount)',
  help: `Usage: responder lock NAME [--json]

Closes /dev/mapper/NAME (cryptsetup close) and detaches the read-only loop device responder
unlock attached for an image file. A mapping that is still mounted is refused: run
responder umount MOUNTPOINT first.`,
  async run(argv) {
    const parsed = parse('lock', argv, {});
    const [nameArg, ...extra] = parsed.positionals;
    if (!nameArg) throw new UsageError('missing NAME', 'see: responder lock --help');
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`, 'see: responder lock --help');
    const name = nameArg.replace(/^\/dev\/mapper\//, '');
    const bad = checkMappingName(name);
    if (bad) throw new UsageError(bad);
    const state = loadUnlocked();
    const record = state.find((r) => r.name === name);
    const done: string[] = [];
    if (existsSync(`/dev/mapper/${name}`)) {
      try {
        await closeLuks(name);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        if (/in use|busy/i.test(msg)) throw new ResponderError(`/dev/mapper/${name} is still in use (mounted, or a --replay snapshot sits on it)`, 1, 'run responder umount MOUNTPOINT first');
        throw err;
      }
      done.push(`closed /dev/mapper/${name}`);
    } else if (!record) {
      throw new ResponderError(`/dev/mapper/${name} is not open`);
    }
    if (record?.loopDevice) {
      await runProgram(['losetup', '--detach', record.loopDevice]).catch((err: Error) => {
        if (!/No such device|not found/i.test(err.message)) throw err;
      });
      done.push(`detached ${record.loopDevice}`);
    }
    if (record) saveUnlocked(state.filter((r) => r !== record));
    if ((parsed.values as { json?: boolean }).json) printJson({ name, actions: done, record: record ?? null });
    else printText(done.join('\n') + '\n');
    return 0;
  },
};
