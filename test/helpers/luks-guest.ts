// SPDX-License-Identifier: GPL-3.0-or-later
// Journal replay and LUKS in the booted forensic image (50-forensic-evidence): a dirty XFS and a
// dirty ext4 disk mounted without and with --replay; a LUKS2 disk holding a dirty ext4 (wrong
// passphrase first, then a piped one) and a LUKS1 disk holding a dirty XFS (key file), each
// unlocked read-only, written to on purpose (refused), mounted without and with --replay, locked.
// After each: no dm mapping, COW loop device or COW tmpfs is left. The unchanged sha256 of every
// disk is checked by the test on the host.
import path from 'node:path';
import { expect } from 'vitest';
import { dirtyExt4, dirtyXfs } from './evidence.js';
import { luksImage } from './luks.js';

export const LUKS_PASSPHRASE = 'correct horse LUKS-7f3a';

/** The two LUKS evidence disks (the plain file system images are removed again). */
export function luksEvidenceDisks(dir: string): { luks2: string; luks1: string } {
  const ext4 = dirtyExt4(path.join(dir, 'luks2-inner-ext4.img'), 'EVLUKSEXT4');
  const xfs = dirtyXfs(path.join(dir, 'luks1-inner-xfs.img'));
  const disks = { luks2: luksImage(path.join(dir, 'luks2-ext4-dirty.img'), ext4, 'luks2', LUKS_PASSPHRASE), luks1: luksImage(path.join(dir, 'luks1-xfs-dirty.img'), xfs, 'luks1', LUKS_PASSPHRASE) };
  return disks;
}

export const LUKS_REPLAY_GUEST_SNIPPET = `
# Journal replay into a RAM overlay, and LUKS read-only (test/helpers/luks-guest.ts).
# view LABEL MOUNTPOINT SOURCE [--replay]: what the view holds (the head of evidence.txt, late.txt).
view() {
  local label=$1 mnt=$2 src=$3; shift 3
  if out=$(responder mount "$src" "$mnt" "$@" 2>&1); then
    echo "$out" | sed "s/^/LR $label-OUT /"
    echo "LR $label $(head -c 16 "$mnt/evidence.txt" 2>&1 | tr -d '\\0') late=$([ -e "$mnt/late.txt" ] && echo yes || echo no)"
    if touch "$mnt/written-by-test" 2>/dev/null; then echo "LR $label WRITE-SUCCEEDED"; rc=1; fi
    out=$(responder umount "$mnt" 2>&1) || { echo "LR $label UMOUNT-FAILED $out"; rc=1; }
    echo "$out" | sed "s/^/LR $label-UMOUNT /"
  else
    echo "$out" | sed "s/^/LR $label-OUT /"; echo "LR $label MOUNT-FAILED"; rc=1
  fi
}
# say LABEL CMD...: the command's output on one line, then its exit code.
say() {
  local label=$1 res code; shift
  res=$("$@" 2>&1); code=$?
  echo "LR $label $(echo "$res" | tr '\\n' ' ') rc=$code"
}
leftovers() {
  echo "LR LEFTOVERS $1 dm=[$(dmsetup ls 2>&1 | grep -v 'No devices found' | tr '\\n' ' ')] cowloops=$(losetup -a | grep -c responder-cow) cowtmpfs=$(grep -c responder-cow /proc/self/mountinfo)"
}
for s in EVXFS EVEXT4; do
  if x=$(dev $s); then view $s-PLAIN /mnt/lr /dev/$x; view $s-REPLAY /mnt/lr /dev/$x --replay; leftovers $s; else echo "LR DISK $s missing"; rc=1; fi
done
if l=$(dev EVLUKS2); then
  say LUKS2-WRONG sh -c 'echo "not the passphrase" | responder unlock "$1" ev2' sh /dev/$l
  say LUKS2-UNLOCK sh -c 'printf "%s\\n" "$2" | responder unlock "$1" ev2' sh /dev/$l '${LUKS_PASSPHRASE}'
  echo "LR LUKS2-RO $(blockdev --getro /dev/mapper/ev2 2>&1)"
  if dd if=/dev/zero of=/dev/mapper/ev2 bs=4096 count=1 oflag=direct conv=notrunc status=none 2>/dev/null; then echo "LR LUKS2-DD succeeded"; rc=1; else echo "LR LUKS2-DD refused"; fi
  view LUKS2-PLAIN /mnt/lr /dev/mapper/ev2
  view LUKS2-REPLAY /mnt/lr /dev/mapper/ev2 --replay
  say LUKS2-LOCK responder lock ev2
  leftovers LUKS2
else echo "LR DISK EVLUKS2 missing"; rc=1; fi
if l=$(dev EVLUKS1); then
  printf '%s' '${LUKS_PASSPHRASE}' >/run/lr.key
  say LUKS1-UNLOCK responder unlock /dev/$l ev1 --key-file /run/lr.key
  rm -f /run/lr.key
  echo "LR LUKS1-RO $(blockdev --getro /dev/mapper/ev1 2>&1)"
  view LUKS1-PLAIN /mnt/lr /dev/mapper/ev1
  view LUKS1-REPLAY /mnt/lr /dev/mapper/ev1 --replay
  say LUKS1-LOCK responder lock ev1
  leftovers LUKS1
else echo "LR DISK EVLUKS1 missing"; rc=1; fi
dmesg | grep -iE 'read-only block-device|device-mapper|EXT4-fs \\(dm|XFS \\(dm' | sed 's/^/LR-KLOG /' | tail -n 30 || true
`;

/** What the snippet must have printed. */
export function expectLuksReplay(scriptOutput: string | undefined): void {
  const out = scriptOutput ?? '';
  // Dirty XFS: the late file only with --replay; dirty ext4: the journal's block only with --replay.
  // Without replay dirtyXfs shows neither file (the log holds both); with it, both.
  expect(out).toMatch(/LR EVXFS-PLAIN .*No such file or directory late=no/);
  expect(out).toContain('LR EVXFS-REPLAY original evidenc late=yes');
  expect(out).toContain('LR EVEXT4-PLAIN original evidenc late=no');
  expect(out).toContain('LR EVEXT4-REPLAY REPLAYED JOURNAL late=no');
  expect(out).toMatch(/LR EVXFS-PLAIN-OUT .*STALE VIEW.*--replay/);
  expect(out).toMatch(/LR EVXFS-REPLAY-UMOUNT removed the replay snapshot responder-replay-/);
  // LUKS2 (dirty ext4 inside): the wrong passphrase says so; the mapping is read-only.
  expect(out).toMatch(/LR LUKS2-WRONG responder: cannot open the LUKS volume \/dev\/vd\w+: wrong passphrase or key file: no key slot opens with it.* rc=1/);
  expect(out).toMatch(/LR LUKS2-UNLOCK opened \/dev\/vd\w+ \(LUKS2\) read-only as \/dev\/mapper\/ev2 .* rc=0/);
  expect(out).toContain('LR LUKS2-RO 1');
  expect(out).toContain('LR LUKS2-DD refused');
  expect(out).toContain('LR LUKS2-PLAIN original evidenc late=no');
  expect(out).toContain('LR LUKS2-REPLAY REPLAYED JOURNAL late=no');
  expect(out).toMatch(/LR LUKS2-LOCK closed \/dev\/mapper\/ev2 .*rc=0/);
  // LUKS1 (dirty XFS inside), opened with a key file.
  expect(out).toMatch(/LR LUKS1-UNLOCK opened \/dev\/vd\w+ \(LUKS1\) read-only as \/dev\/mapper\/ev1 .* rc=0/);
  expect(out).toContain('LR LUKS1-RO 1');
  expect(out).toMatch(/LR LUKS1-PLAIN .*No such file or directory late=no/);
  expect(out).toContain('LR LUKS1-REPLAY original evidenc late=yes');
  expect(out).toMatch(/LR LUKS1-LOCK closed \/dev\/mapper\/ev1 .*rc=0/);
  for (const s of ['EVXFS', 'EVEXT4', 'LUKS2', 'LUKS1']) expect(out).toContain(`LR LEFTOVERS ${s} dm=[] cowloops=0 cowtmpfs=0`);
  expect(out).not.toMatch(/WRITE-SUCCEEDED|MOUNT-FAILED|UMOUNT-FAILED|DD succeeded/);
  expect(out).not.toMatch(/LR-KLOG .*write to read-only block-device/i);
}
