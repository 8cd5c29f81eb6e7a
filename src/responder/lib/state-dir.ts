// SPDX-License-Identifier: GPL-3.0-or-later
// Where the responder keeps its state on the live system: the open case's pointer, the mounts it
// made, the read-only FUSE views of E01 sets. /run/responder is in RAM, so a new boot starts with
// none of it; RESPONDER_STATE_DIR moves it (tests, which must not touch the machine's own).
export function stateDir(): string {
  return process.env.RESPONDER_STATE_DIR || '/run/responder';
}
