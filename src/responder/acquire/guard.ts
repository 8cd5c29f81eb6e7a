// SPDX-License-Identifier: GPL-3.0-or-later
// Refuse to write the image onto the evidence: the same file, the source device itself, a file
// system that lives on the source (or on a partition of it, or on a RAID/LVM/loop built on it), or
// a mount of the source image file. Checked before the first byte is written.
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { ResponderError } from '../lib/errors.js';
import { devnoString, underlying } from '../disk/sysfs.js';
import type { SourceInfo } from './source.js';

export function checkOutputNotOnSource(source: SourceInfo, outPaths: string[]): void {
  for (const out of outPaths) {
    if (existsSync(out)) {
      const st = statSync(out);
      if (st.dev === source.stat.dev && st.ino === source.stat.ino) throw new ResponderError(`refusing to write ${out}: it is the source itself`);
      throw new ResponderError(`refusing to overwrite ${out}: it already exists`, 1, 'choose a new --out path; responder never overwrites an image');
    }
    if (out.startsWith('/dev/')) throw new ResponderError(`refusing to write to ${out}: --out must be a file, not a device`);
  }
  const dir = path.dirname(path.resolve(outPaths[0]!));
  let dirStat;
  try {
    dirStat = statSync(dir);
  } catch {
    throw new ResponderError(`${dir}: output folder does not exist`);
  }
  // The block devices (and loop backing files) under the file system the output would land on.
  const { devices, files } = underlying(devnoString(dirStat.dev));
  if (source.kind === 'block device') {
    const src = source.devno!;
    // The source, or its disk if it is a partition: writing to another partition of the evidence
    // disk still changes the evidence disk.
    const srcSet = underlying(src).devices;
    for (const d of devices) {
      if (srcSet.has(d) || underlying(d).devices.has(src)) throw new ResponderError(`refusing to write ${outPaths[0]}: ${dir} is on the source device (${src}) or a device built on it`);
    }
  } else {
    const real = realpathSync(source.path);
    if (files.has(real)) throw new ResponderError(`refusing to write ${outPaths[0]}: ${dir} is a mount of the source image ${real}`);
  }
}
