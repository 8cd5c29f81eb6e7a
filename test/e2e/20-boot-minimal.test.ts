// SPDX-License-Identifier: GPL-3.0-or-later
// Boots the minimal ISO the ways a user can boot it: BIOS and UEFI, from a CD and written raw to a
// USB stick (the hybrid path). Each boot must reach a passing self-test. BIOS from a CD is booted
// by 45-kernel-modules (the kmod image: minimal plus one module), 50 and 55 (forensic) and 41
// (GRUB only, with the impostor): a fourth minimal boot would prove nothing new (CI budget). An impostor disk
// (this build's public markers and a grub.cfg of its own, on virtio) is attached to every boot:
// GRUB takes its menu, kernel and initrd only from the boot device (issue 12; the GRUB-only boots
// of 41-boot-trust.test.ts show the same on the signed chain and hold the positive control).
// The BIOS boot from USB also carries forensic mode's positive control (50-forensic-evidence):
// without forensic mode, a plain `mount -o ro` of a dirty ext4 replays its journal and changes the
// disk, so the harness that finds the forensic image's disks unchanged can see a change.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootIso, buildProfile, TEST_OUT } from '../helpers/e2e.js';
import { dirtyExt4, sha256File } from '../helpers/evidence.js';
import { impostorDisk, IMPOSTOR_LINE } from '../helpers/impostor.js';

const DIR = path.join(TEST_OUT, 'boot-minimal');
/** Mounts the disk with serial EVCTRL `-o ro` the plain way and reads its file back. */
const CONTROL_SCRIPT =
  '#!/bin/bash\nset -eux\nd=$(for b in /sys/block/vd*; do [ "$(cat $b/serial)" = EVCTRL ] && echo /dev/${b##*/}; done)\nmkdir -p /mnt/c\nmount -o ro "$d" /mnt/c\ncat /mnt/c/evidence.txt | head -c 20; echo\numount /mnt/c\n';

let iso: string;
let defaultOptions: string[];
let impostor: string;
beforeAll(async () => {
  const build = await buildProfile('minimal');
  iso = build.iso;
  defaultOptions = build.buildJson.bootMenu[0]!.options;
  mkdirSync(DIR, { recursive: true });
  impostor = impostorDisk(path.join(DIR, 'impostor.img'), build.buildJson.buildId);
});

describe.each([
  ['uefi', 'cdrom', false],
  ['bios', 'disk', true],
  ['uefi', 'disk', false],
])('minimal ISO, %s firmware, as %s', (firmware, media, control) => {
  it(`boots to a passing self-test with the default menu entry${control ? '; a plain ro mount there replays a dirty journal (positive control)' : ''}`, async () => {
    const args = ['--firmware', firmware, '--media', media, '--disk', `file=${impostor},if=virtio,serial=EVIMPOSTOR,ro`];
    let img = '';
    let before = '';
    if (control) {
      img = dirtyExt4(path.join(DIR, 'control-ext4-dirty.img'));
      before = sha256File(img);
      const script = path.join(DIR, 'control.sh');
      writeFileSync(script, CONTROL_SCRIPT);
      args.push('--script', script, '--disk', `file=${img},if=virtio,serial=EVCTRL`);
    }
    const r = await bootIso(iso, args);
    if (control) {
      expect(r.scriptExitCode, r.scriptOutput).toBe(0);
      expect(r.scriptOutput).toContain('REPLAYED JOURNAL');
      expect(sha256File(img)).not.toBe(before);
    }
    expect(r.console).not.toContain(IMPOSTOR_LINE);
    expect(r.finalLine).toBe('FORENSIC-LIVE-SELFTEST PASS');
    expect(r.passed).toBe(true);
    const byName = Object.fromEntries(r.checks.map((c) => [c.check, c]));
    expect(byName['multi-user']?.pass).toBe(true);
    expect(byName['kernel-cmdline']?.pass).toBe(true);
    expect(byName['kernel-cmdline']?.detail).toContain('Debian live system');
    expect(byName['node']?.detail).toMatch(/^v18\./);
    // The image knows how it was started (the unsigned-GRUB path; Secure Boot is proven in test 40).
    expect(byName['secure-boot']?.detail).toMatch(firmware === 'uefi' ? /^firmware: UEFI; Secure Boot: off/ : /^firmware: BIOS/);
    expect(defaultOptions).toContain('boot=live');
  });
});
