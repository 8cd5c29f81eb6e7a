// SPDX-License-Identifier: GPL-3.0-or-later
// What is being acquired: a block device (size, model, serial and sector size from /sys) or a
// regular file (an image being copied again). Opened O_RDONLY, nothing else.
import { constants, promises as fsp, type Stats } from 'node:fs';
import path from 'node:path';
import { ResponderError, describeSystemError } from '../lib/errors.js';
import { deviceByNumber, devnoString } from '../disk/sysfs.js';

export interface SourceInfo {
  path: string;
  kind: 'block device' | 'file';
  size: number;
  sectorSize: number;
  devno?: string;
  model?: string;
  serial?: string;
  readOnly?: boolean;
  stat: Stats;
}

export async function openSource(p: string): Promise<{ fd: fsp.FileHandle; info: SourceInfo }> {
  let st: Stats;
  try {
    st = await fsp.stat(p);
  } catch (err) {
    throw describeSystemError(err, p);
  }
  if (!st.isBlockDevice() && !st.isFile()) throw new ResponderError(`${p}: not a block device or a regular file`);
  let fd: fsp.FileHandle;
  try {
    fd = await fsp.open(p, constants.O_RDONLY | constants.O_NOCTTY);
  } catch (err) {
    throw describeSystemError(err, p);
  }
  if (st.isFile()) return { fd, info: { path: path.resolve(p), kind: 'file', size: st.size, sectorSize: 512, stat: st } };
  const devno = devnoString(st.rdev);
  const dev = deviceByNumber(devno);
  if (!dev) {
    await fd.close();
    throw new ResponderError(`${p}: block device ${devno} not found in /sys`);
  }
  return {
    fd,
    info: { path: path.resolve(p), kind: 'block device', size: dev.size, sectorSize: dev.logicalSectorSize, devno, model: dev.model, serial: dev.serial, readOnly: dev.readOnly, stat: st },
  };
}
