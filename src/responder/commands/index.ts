// SPDX-License-Identifier: GPL-3.0-or-later
// The command list, in the order `responder --help` shows it.
import type { Command } from '../cli/command.js';

export const COMMANDS: Command[] = [];
