// SPDX-License-Identifier: GPL-3.0-or-later
// The boot-test argv options the QEMU unit tests start from (a BIOS CD boot, no disks, TCG).
import type { QemuArgvOptions } from '../../src/builder/qemu/argv.js';

export const BASE_QEMU_ARGV: QemuArgvOptions = {
  iso: '/out/forensic.iso',
  firmware: 'bios',
  media: 'cdrom',
  disks: [],
  accel: 'tcg',
  consoleLog: '/run/x/console.log',
  resultsLog: '/run/x/results.log',
  fwCfg: [],
};
