// SPDX-License-Identifier: GPL-3.0-or-later
// overlays/forensic/usr/lib/forensic-live/setro marks a block device read-only through an O_NONBLOCK
// open and perl's ioctl, which is what reaches a drive without a medium (blockdev's O_RDONLY open
// fails there). Run on a loop device with a PATH that has perl but no blockdev, so only that path
// can succeed: the first version of this fallback died on a read-only constant ("Modification of
// a read-only value attempted") and an empty floppy drive stayed writable on a real boot. Root only.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const SETRO = path.resolve('overlays/forensic/usr/lib/forensic-live/setro');
const dir = mkdtempSync(path.join(tmpdir(), 'fl-setro-'));
let loop = '';
afterAll(() => {
  if (loop) {
    execFileSync('blockdev', ['--setrw', loop]); // a loop device keeps the flag for its next user
    execFileSync('losetup', ['-d', loop]);
  }
  rmSync(dir, { recursive: true, force: true });
});

it('marks a device read-only through the O_NONBLOCK ioctl path alone (no blockdev on PATH)', () => {
  const img = path.join(dir, 'disk.img');
  writeFileSync(img, '');
  truncateSync(img, 1 << 20);
  loop = execFileSync('losetup', ['-f', '--show', img], { encoding: 'utf8' }).trim();
  execFileSync('blockdev', ['--setrw', loop]);
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  for (const tool of ['perl', 'sh']) symlinkSync(execFileSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).trim(), path.join(bin, tool));
  // In a mount namespace with a file over /dev/kmsg: a failure message is captured, not logged.
  const kmsg = path.join(dir, 'kmsg');
  writeFileSync(kmsg, '');
  const run = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', 'mount --bind "$1" /dev/kmsg && PATH="$2" exec sh "$3" "$4"', 'sh', kmsg, bin, SETRO, loop], {
    encoding: 'utf8',
  });
  expect(readFileSync(kmsg, 'utf8') + run.stderr).toBe('');
  expect(run.status).toBe(0);
  expect(execFileSync('blockdev', ['--getro', loop], { encoding: 'utf8' }).trim()).toBe('1');
});
