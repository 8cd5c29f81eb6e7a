// SPDX-License-Identifier: GPL-3.0-or-later
// The RAID1 pair (md, metadata 1.2, ext4 inside) and the LVM volume group (one ext4 volume) that
// the forensic evidence boot must leave unassembled and inactive. This host's kernel has no md or
// device-mapper driver, so a forensic guest made them with mdadm and lvm2; they are committed as
// test/fixtures/evidence/raid-lvm (see committed-evidence.ts), remade by scripts/make-test-fixtures.
import { renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { committedFixture, makerKey } from './committed-evidence.js';
import { bootIso } from './e2e.js';
import { blankImage } from './evidence.js';

export const RAID_LVM_FILES = ['md-a.img', 'md-b.img', 'lvm.img'] as const;

/**
 * Guest script that turns three blank disks (serials EVMDA, EVMDB, EVLVM) into an md RAID1 pair
 * holding ext4 and an LVM volume group with one ext4 volume. It runs in the forensic image, so it
 * first lifts forensic mode's protections on purpose, as a responder would for a target disk.
 */
export function raidLvmScript(): string {
  return `#!/bin/bash
set -euxo pipefail
# The forensic image marks every disk read-only: drop the rule (RAM overlay only) and unlock ours.
: >/etc/udev/rules.d/00-forensic-live-readonly.rules
udevadm control --reload
dev() { for d in /sys/block/*; do [ "$(cat "$d/serial" 2>/dev/null)" = "$1" ] && { echo "/dev/\${d##*/}"; return; }; done; echo "no disk $1" >&2; exit 1; }
A=$(dev EVMDA); B=$(dev EVMDB); L=$(dev EVLVM)
blockdev --setrw "$A" "$B" "$L"
mdadm --create /dev/md0 --run --level=1 --raid-devices=2 --metadata=1.2 --name=evraid --homehost=evidence --assume-clean "$A" "$B"
mkfs.ext4 -q -L EVRAID /dev/md0
mdadm --stop /dev/md0
rw=(--config 'global/metadata_read_only=0')
pvcreate "\${rw[@]}" "$L"
vgcreate "\${rw[@]}" evvg "$L"
lvcreate "\${rw[@]}" -y -n evlv -L 16M evvg
mkfs.ext4 -q -L EVLV /dev/evvg/evlv
vgchange "\${rw[@]}" -an evvg
sync
blkid "$A" "$B" "$L"
`;
}

export function raidLvmKey(): string {
  return makerKey(raidLvmScript());
}

/** The committed images (read-only originals: copy them before a boot). */
export function raidLvmImages(): { mdA: string; mdB: string; lvm: string } {
  const dir = committedFixture('raid-lvm', raidLvmKey());
  return { mdA: path.join(dir, 'md-a.img'), mdB: path.join(dir, 'md-b.img'), lvm: path.join(dir, 'lvm.img') };
}

/** Makes the three images in `dir` by booting `forensicIso` with blank disks (the fixture maker). */
export async function makeRaidLvmImages(forensicIso: string, dir: string): Promise<void> {
  const scriptFile = path.join(dir, 'make.sh');
  writeFileSync(scriptFile, raidLvmScript());
  const disk = (file: string, mib: number, serial: string) => ['--disk', `file=${blankImage(path.join(dir, `${file}.part`), mib)},if=virtio,serial=${serial}`];
  const r = await bootIso(forensicIso, ['--timeout', '1500', '--script', scriptFile, ...disk('md-a.img', 40, 'EVMDA'), ...disk('md-b.img', 40, 'EVMDB'), ...disk('lvm.img', 64, 'EVLVM')]);
  if (r.scriptExitCode !== 0) throw new Error(`making the RAID/LVM images failed:\n${r.scriptOutput ?? JSON.stringify(r)}`);
  for (const f of RAID_LVM_FILES) renameSync(path.join(dir, `${f}.part`), path.join(dir, f));
}
