// SPDX-License-Identifier: GPL-3.0-or-later
// The APFS evidence image for the forensic tests: a GPT disk like a Mac's (an EFI system partition
// and an APFS container) whose volume holds a known file. This host's kernel has no apfs driver and
// bookworm's apfsprogs cannot add files, so the GPT is written here (sgdisk) and a guest booted
// from the apfs-maker test profile (apfs-dkms built for its kernel) formats partition 2, mounts it
// `readwrite`, writes the file and checks the container with apfsck. Made once by
// scripts/make-test-fixtures and committed (test/fixtures/evidence/apfs-gpt, see
// committed-evidence.ts; key: hash of the layout and the script). Also: the guest snippet that
// reads it back with `responder mount`, and what the test expects from its output.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { committedFixture, makerKey } from './committed-evidence.js';
import { bootIso, buildProfile, REPO } from './e2e.js';
import { blankImage, sh } from './evidence.js';

export const APFS_MAKER_PROFILE = path.join(REPO, 'test/fixtures/profiles/apfs-maker.yaml');
/** The file written into the APFS volume, and its content (one line). */
export const APFS_KNOWN_FILE = 'evidence.txt';
export const APFS_KNOWN_CONTENT = 'APFS KNOWN CONTENT forensic-live 1f0e7c';
// mkapfs sizes the container's internal pool by its size (9 blocks at 190 MiB, 27 at 1 GiB), and
// linux-apfs-rw 0.3.0 runs out of a small pool after a few transactions ("internal pool seems
// full"). A sparse 1 GiB disk takes about 1 MiB on disk; copies are made sparse too.
const DISK_MIB = 1024;
const APFS_TYPE = '7C3457EF-0000-11AA-AA11-00306543ECAC';
/** Partition 1: EFI system (left empty), partition 2: the APFS container, to the end. */
const GPT_LAYOUT = ['-n', '1:2048:+8M', '-t', '1:EF00', '-c', '1:EFI', '-n', '2:0:0', '-t', `2:${APFS_TYPE}`, '-c', '2:Macintosh HD'];

/** Runs as root in the apfs-maker guest, the blank GPT disk attached with serial APFSBLANK. */
export function apfsMakerScript(): string {
  return `#!/bin/bash
set -euxo pipefail
dev() { for d in /sys/block/*; do [ "$(cat "$d/serial" 2>/dev/null)" = "$1" ] && { echo "/dev/\${d##*/}"; return; }; done; echo "no disk $1" >&2; exit 1; }
D=$(dev APFSBLANK)
P=\${D}2
udevadm settle --timeout=30 || true
[ -b "$P" ] || { echo "no partition 2 on $D" >&2; exit 1; }
# dkms must have built the module for this very kernel at install time.
echo "APFS-MODULE kernel=$(uname -r) file=$(modinfo -n apfs) vermagic=$(modinfo -F vermagic apfs | cut -d' ' -f1) version=$(modinfo -F version apfs)"
[ "$(modinfo -F vermagic apfs | cut -d' ' -f1)" = "$(uname -r)" ]
modprobe apfs
grep -qw apfs /proc/filesystems
blockdev --setrw "$D" "$P"
mkapfs -L EVAPFS "$P"
mkdir -p /mnt/apfs
mount -t apfs -o readwrite "$P" /mnt/apfs
printf '%s\\n' '${APFS_KNOWN_CONTENT}' > /mnt/apfs/${APFS_KNOWN_FILE}
mkdir /mnt/apfs/Users
printf 'second file\\n' > /mnt/apfs/Users/notes.txt
sync
umount /mnt/apfs
# The driver's write support is experimental: every transaction must have gone through.
if dmesg | grep -iE 'APFS.*(aborting transaction|pool seems full|error)'; then echo "the apfs driver failed a write" >&2; exit 1; fi
apfsck "$P"
mount -t apfs -o ro "$P" /mnt/apfs
echo "APFS-WROTE $(cat /mnt/apfs/${APFS_KNOWN_FILE})"
umount /mnt/apfs
sync
dmesg | grep -i apfs | sed 's/^/KLOG /' || true
`;
}

export function apfsFixtureKey(): string {
  return makerKey([DISK_MIB, GPT_LAYOUT, apfsMakerScript()]);
}

/** The committed APFS evidence disk (a read-only original: boot only copies of it). */
export function apfsEvidenceImage(): string {
  return path.join(committedFixture('apfs-gpt', apfsFixtureKey()), 'apfs-gpt.img');
}

/** Makes `dir`/apfs-gpt.img in a guest booted from the apfs-maker profile (the fixture maker). */
export async function makeApfsImage(dir: string): Promise<void> {
  const maker = await buildProfile(APFS_MAKER_PROFILE);
  const disk = blankImage(path.join(dir, 'apfs-gpt.img.part'), DISK_MIB);
  sh(['sgdisk', ...GPT_LAYOUT, disk]);
  const scriptFile = path.join(dir, 'make.sh');
  writeFileSync(scriptFile, apfsMakerScript());
  const r = await bootIso(maker.iso, ['--timeout', '1500', '--script', scriptFile, '--disk', `file=${disk},if=virtio,serial=APFSBLANK`]);
  if (r.scriptExitCode !== 0 || !(r.scriptOutput ?? '').includes(`APFS-WROTE ${APFS_KNOWN_CONTENT}`)) {
    throw new Error(`making the APFS image failed:\n${r.scriptOutput ?? JSON.stringify(r)}`);
  }
  renameSync(disk, path.join(dir, 'apfs-gpt.img'));
}

/** A sparse copy of the cached image at `to`, for one boot (never boot the cached original). */
export function apfsEvidenceCopy(to: string): string {
  const cached = apfsEvidenceImage();
  rmSync(to, { force: true });
  sh(['cp', '--sparse=always', cached, to]);
  return to;
}

/**
 * Bash for a guest script that defines `dev SERIAL` (prints the disk's name, e.g. vdc) and `rc`:
 * mounts partition 2 of the disk with serial EVAPFS through `responder mount` (read-only), reads
 * the known file back, unmounts. Sets rc=1 on any failure. Prints APFS-* lines.
 */
export const APFS_GUEST_SNIPPET = `
# APFS evidence (test/helpers/apfs-evidence.ts): responder mount, read the known file, umount.
if a=$(dev EVAPFS); then
  if out=$(responder mount "/dev/$a:2" /mnt/apfs-evidence 2>&1); then
    echo "$out" | sed 's/^/APFS-MOUNT /'
    echo "APFS-FINDMNT $(findmnt -n -r -o SOURCE,FSTYPE,OPTIONS /mnt/apfs-evidence)"
    echo "APFS-RO $(cat /sys/block/$a/ro) $(cat /sys/block/$a/\${a}2/ro)"
    echo "APFS-READ $(cat /mnt/apfs-evidence/${APFS_KNOWN_FILE} 2>&1)"
    if touch /mnt/apfs-evidence/written-by-test 2>/dev/null; then echo "APFS-WRITE succeeded"; rc=1; else echo "APFS-WRITE refused"; fi
    if out=$(responder umount /mnt/apfs-evidence 2>&1); then echo "APFS-UMOUNT ok"; else echo "APFS-UMOUNT failed: $out"; rc=1; fi
  else
    echo "$out" | sed 's/^/APFS-MOUNT failed: /'
    rc=1
  fi
else
  echo "DISK EVAPFS missing"
  rc=1
fi
dmesg | grep -iE 'apfs|read-only block-device' | sed 's/^/APFS-KLOG /' | tail -n 20 || true
`;

/** What the snippet must have printed (the unchanged sha256 is checked by the test itself). */
export function expectApfsRead(scriptOutput: string | undefined): void {
  const out = scriptOutput ?? '';
  expect(out).toMatch(/APFS-MOUNT mounted \/dev\/vd\w+ partition 2 \(apfs\) on \/mnt\/apfs-evidence/);
  expect(out).toMatch(/APFS-FINDMNT \/dev\/vd\w+2 apfs ro,nosuid,nodev,noexec/);
  expect(out).toContain(`APFS-READ ${APFS_KNOWN_CONTENT}`);
  expect(out).toContain('APFS-WRITE refused');
  expect(out).toContain('APFS-UMOUNT ok');
  expect(out).not.toMatch(/APFS-KLOG .*write to read-only block-device/i);
}
