// SPDX-License-Identifier: GPL-3.0-or-later
// Is the read-only view stale? ext3/4: the superblock's needs_recovery flag (probe: sig.dirty).
// XFS: the live system's `xfs_logprint -t DEVICE` reads the log (read-only; it works on a
// read-only loop device) and prints "state: <DIRTY>" when the log holds changes that were never
// written to their place. Only the header is read: the process is stopped as soon as the state
// line appears, so a big log cannot flood memory.
import { spawn } from 'node:child_process';

export type LogState = 'clean' | 'dirty' | 'unknown';

export function xfsLogState(device: string, timeoutMs = 30_000): Promise<LogState> {
  return new Promise((resolve) => {
    let text = '';
    let done = false;
    const child = spawn('xfs_logprint', ['-t', device], { stdio: ['ignore', 'pipe', 'ignore'], env: { ...process.env, LC_ALL: 'C' } });
    const finish = (s: LogState) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(s);
    };
    const timer = setTimeout(() => finish('unknown'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      const m = /state: <(CLEAN|DIRTY)>/.exec(text);
      if (m) finish(m[1] === 'DIRTY' ? 'dirty' : 'clean');
      else if (text.length > 64 * 1024) finish('unknown');
    });
    child.on('error', () => finish('unknown'));
    child.on('close', () => finish('unknown'));
  });
}

/** Followed by the exact commands that show the latest state (mount.ts). */
export const STALE_NOTE =
  "STALE VIEW: the journal/log holds changes that are not replayed (that would write the evidence), so the newest files and changes (often the intruder's last steps) are NOT visible here; --replay replays them into a RAM copy-on-write overlay without writing the evidence";
