// SPDX-License-Identifier: GPL-3.0-or-later
// The command list, in the order `responder --help` shows it.
import type { Command } from '../cli/command.js';
import { acquireCommand } from './acquire.js';
import { devicesCommand } from './devices.js';
import { mountCommand } from './mount.js';
import { umountCommand } from './umount.js';
import { lockCommand, unlockCommand } from './unlock.js';
import { elfCommand } from './elf.js';
import { reportCommand } from './report.js';
import { timelineCommand } from './timeline.js';
import { verifyCommand } from './verify.js';
import { sweepCommand } from './sweep.js';
import { mediumCommand } from './medium.js';
import { loginsCommand } from './logins.js';
import { recoverCommand } from './recover.js';
import { caseCommand } from './case.js';
import { collectCommand } from './collect.js';
import { netCommand } from './net.js';
import { keymapCommand } from './keymap.js';

export const COMMANDS: Command[] = [
  devicesCommand,
  collectCommand,
  caseCommand,
  netCommand,
  unlockCommand,
  mountCommand,
  umountCommand,
  lockCommand,
  acquireCommand,
  timelineCommand,
  loginsCommand,
  recoverCommand,
  elfCommand,
  verifyCommand,
  sweepCommand,
  reportCommand,
  mediumCommand,
  keymapCommand,
];
