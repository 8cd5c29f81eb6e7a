// SPDX-License-Identifier: GPL-3.0-or-later
// `responder collect prepare|release|status`: the one writable disk of a forensic session.
import type { Command } from '../cli/command.js';
import { parse } from '../cli/args.js';
import { UsageError } from '../lib/errors.js';
import { printJson } from '../lib/output.js';
import { prepareCollectionDisk, releaseCollectionDisk } from '../collect/prepare.js';
import { readMarker } from '../collect/marker.js';
import { writableDisks } from '../collect/writable.js';

const HELP = `Usage: responder collect prepare DEVICE --serial SERIAL [--erase]
       responder collect release
       responder collect status

prepare   turn exactly one disk (an empty USB disk you brought) into the collection disk:
          check it (not the disk the live system booted from, nothing mounted from it, the
          serial you give matches the SERIAL column of responder devices, and it is empty:
          no partition table, no file system), make only that disk writable, create a GPT
          partition table with one ext4 file system labelled COLLECTION, and mount it on
          /mnt/collection. Every other disk stays read-only.
          --erase     the disk is not empty and you mean to erase it: shows what is on it first
          --serial    the disk's serial as responder devices shows it ("none" if it has none)
release   unmount /mnt/collection, sync, and make the disk read-only again (then unplug it)
status    the collection disk and the number of writable disks (exactly one when prepared)

Why ext4: its journal keeps the case folder consistent across a power cut, and it has the
fsync/rename semantics the custody logs rely on; read it on a Linux workstation (or with
debugfs, or ext4 drivers for Windows/macOS).

Next step after prepare: responder case open /mnt/collection/CASE-ID --case CASE-ID ...`;

export const collectCommand: Command = {
  name: 'collect',
  summary: 'prepare (or release) the one writable collection disk: checked, formatted, mounted',
  help: HELP,
  async run(argv) {
    const [verb, ...rest] = argv;
    const say = (s: string) => void process.stderr.write(s + '\n');
    if (verb === 'prepare') {
      const { values, positionals } = parse('collect', rest, { serial: { type: 'string' }, erase: { type: 'boolean' } });
      if (positionals.length !== 1) throw new UsageError('collect prepare takes exactly one DEVICE', 'see: responder collect --help');
      if (values.serial === undefined) throw new UsageError('--serial SERIAL is required: it confirms the disk', 'see the SERIAL column of: responder devices');
      const m = await prepareCollectionDisk(positionals[0]!, { serial: values.serial as string, erase: Boolean(values.erase), say });
      if (values.json) printJson(m);
      else
        process.stdout.write(
          `collection disk ${m.disk} (serial ${m.serial}) mounted on ${m.mountPoint}; every other disk stays read-only\nnext: responder case open ${m.mountPoint}/CASE-ID --case CASE-ID --examiner NAME --evidence ID\n`,
        );
      return 0;
    }
    if (verb === 'release') {
      parse('collect', rest, {});
      const m = await releaseCollectionDisk(say);
      process.stdout.write(m ? `collection disk ${m.disk} released\n` : 'no collection disk is prepared\n');
      return 0;
    }
    if (verb === 'status') {
      const { values } = parse('collect', rest, {});
      const m = readMarker();
      const w = writableDisks(m);
      if (values.json) printJson({ collectionDisk: m ?? null, writable: w.writable, unexpected: w.unexpected, ok: w.ok });
      else process.stdout.write(`${w.summary}\n`);
      return w.ok ? 0 : 1;
    }
    throw new UsageError(verb ? `unknown collect action "${verb}"` : 'missing action', 'use: responder collect prepare|release|status');
  },
};
