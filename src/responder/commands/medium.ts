// SPDX-License-Identifier: GPL-3.0-or-later
// `responder medium`: which forensic-live build this system booted from, and the sha256 of the ISO
// on its medium, to compare with the build's SHA256SUMS. `--device` checks any disk or image file
// (a USB stick just written with dd, for example).
import type { Command } from '../cli/command.js';
import { parse } from '../cli/args.js';
import { ResponderError, UsageError, describeSystemError } from '../lib/errors.js';
import { humanBytes, printJson, printText } from '../lib/output.js';
import { LIVE_MEDIUM, MEDIUM_CACHE, cachedMedium, hashIsoOn, type IsoOnDevice } from '../medium/medium.js';

const HELP = `Usage: responder medium [--json] [--refresh]
       responder medium --device PATH [--json]

Identifies the forensic-live medium this system booted from: the build id written on it and the
sha256 of the ISO on it. The medium's whole disk (not just the mounted partition) is read
read-only for exactly the ISO's length, taken from the ISO's own volume descriptor (and its GPT),
so the hash equals the ISO's line in the build's SHA256SUMS on a CD and on a bigger USB stick.
The result is kept in ${MEDIUM_CACHE} for this boot (forensic-live-medium.service computes
it at boot); the custody logs of \`responder acquire\` record it.

Options:
  --device PATH  hash the ISO at the start of PATH instead (a disk, a USB stick, an image file);
                 compare the result with SHA256SUMS
  --refresh      read the medium again instead of using the cached result
  --json         print the result as JSON`;

function describe(iso: IsoOnDevice): string {
  return `ISO sha256 ${iso.sha256} (${iso.isoBytes} bytes, ${humanBytes(iso.isoBytes)}, length from ${iso.lengthFrom === 'gpt' ? 'the GPT' : 'the ISO 9660 volume descriptor'}, read from ${iso.device})`;
}

export const mediumCommand: Command = {
  name: 'medium',
  summary: 'the build id and ISO sha256 of the medium this system booted from',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parse('medium', argv, { device: { type: 'string' }, refresh: { type: 'boolean' } });
    if (positionals.length) throw new UsageError(`unexpected argument "${positionals[0]}"`, 'see: responder medium --help');
    const device = values.device as string | undefined;
    if (device !== undefined) {
      let iso: IsoOnDevice;
      try {
        iso = await hashIsoOn(device);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code) throw describeSystemError(err, device);
        throw new ResponderError((err as Error).message);
      }
      if (values.json) printJson(iso);
      else printText(`${iso.volumeId || 'ISO'}: ${describe(iso)}\n`);
      return 0;
    }
    let info;
    try {
      info = await cachedMedium({ refresh: Boolean(values.refresh) });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code) throw describeSystemError(err, `the live medium at ${LIVE_MEDIUM}`);
      throw new ResponderError(`the live medium at ${LIVE_MEDIUM}: ${(err as Error).message}`);
    }
    if (!info) throw new ResponderError(`not running from a forensic-live medium (nothing mounted at ${LIVE_MEDIUM})`, 1, 'check a disk or an ISO file with: responder medium --device PATH');
    if (values.json) {
      printJson(info);
      return 0;
    }
    const lines = [`build ${info.buildId ?? 'unknown'} (${info.info ?? 'no .disk/info'})`, describe(info), `mounted: ${info.mounted} at ${info.mountPoint}`];
    if (info.image?.buildId && info.buildId && info.image.buildId !== info.buildId) lines.push(`WARNING: the running system says build ${info.image.buildId}, the medium says ${info.buildId}`);
    printText(lines.join('\n') + '\n');
    return 0;
  },
};
