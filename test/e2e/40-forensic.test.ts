// SPDX-License-Identifier: GPL-3.0-or-later
// The forensic profile builds and boots. The four firmware x media paths are each proven on the
// minimal ISO (unsigned GRUB); for the forensic ISO this file boots UEFI from a USB stick with
// Secure Boot enforced (OVMF with Microsoft's keys: only Debian's signed shim -> GRUB -> kernel
// chain gets through), and 50-forensic-evidence.test.ts boots it BIOS from CD (with evidence
// disks attached), so each firmware and each medium is covered without a redundant boot.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { bootIso, buildProfile, CACHE_DIR, CLI, TEST_OUT, WORK_DIR, type BuildOutcome } from '../helpers/e2e.js';
import { impostorDisk, impostorIsoCopy, IMPOSTOR_LINE } from '../helpers/impostor.js';

let build: BuildOutcome;
beforeAll(async () => {
  build = await buildProfile('forensic');
});

describe('forensic profile', () => {
  it('installs the forensic tool packages on top of base', () => {
    const names = readFileSync(path.join(build.outDir, 'forensic.packages'), 'utf8')
      .split('\n')
      .map((l) => l.split('\t')[0]);
    for (const pkg of ['sleuthkit', 'xfsprogs', 'ntfs-3g', 'nano', 'nodejs', 'live-boot']) expect(names).toContain(pkg);
  });

  it('records the signed boot chain it used in build.json', () => {
    const sb = (build.buildJson as unknown as { secureBoot: { signedPackages: { name: string; sha256: string }[]; unsignedModules: string[] } }).secureBoot;
    expect(sb.signedPackages.map((p) => p.name)).toEqual(['shim-signed', 'shim-helpers-amd64-signed', 'grub-efi-amd64-signed']);
    // apfs from apfs-dkms is not signed by Debian: it does not load under Secure Boot, and the build says so.
    expect(sb.unsignedModules).toEqual(['apfs']);
    expect(build.result.stderr).toMatch(/kernel module\(s\) are unsigned \(apfs\): they will not load on a machine that enforces Secure Boot/);
    for (const p of sb.signedPackages) expect(p.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rebuilds without network from its cache (last verified InRelease, checked again): the same ISO', () => {
    // A network namespace with only a down loopback: no DNS, no route to the archive.
    const outDir = path.join(TEST_OUT, 'forensic-offline');
    const r = spawnSync('unshare', ['--net', process.execPath, CLI, 'build', '--profile', 'forensic', '--out', outDir, '--cache', CACHE_DIR, '--work', WORK_DIR], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/offline\? using bookworm's InRelease verified earlier \(Date: .*; signature checked again\)/);
    const offline = JSON.parse(readFileSync(path.join(outDir, 'forensic.build.json'), 'utf8')) as { iso: { sha256: string } };
    expect(offline.iso.sha256).toBe(build.buildJson.iso.sha256);
  });

  it('boots to a passing self-test from a USB stick with Secure Boot enforced, two impostors attached', async () => {
    // The FAT impostor (this build's public markers, its own grub.cfg and layers) on virtio: Debian's
    // signed GRUB may take nothing from it. The copy of this ISO with another upper layer, on a
    // removable scsi disk: the stick and the copy are both removable sdX, and which one the kernel
    // names first (and live-boot examines first) is a race (measured: the stick was sda). Either
    // way the stick is the medium that is verified and mounted, and a copy examined first is
    // refused by name without hiding the stick (same UUID). 50-forensic-evidence.test.ts has the
    // copy examined first for certain (sdX before the CD's sr0) and requires the refusal.
    const dir = path.join(TEST_OUT, 'forensic-sb');
    mkdirSync(dir, { recursive: true });
    const impostor = impostorDisk(path.join(dir, 'impostor.img'), build.buildJson.buildId, { layers: true });
    const copy = impostorIsoCopy(build.iso, path.join(dir, 'impostor-copy.iso')).file;
    const r = await bootIso(build.iso, [
      '--firmware',
      'uefi',
      '--secure-boot',
      '--media',
      'disk',
      '--disk',
      `file=${impostor},if=virtio,serial=EVIMPOSTOR`,
      '--disk',
      `file=${copy},if=scsi,serial=EVISOCOPY,removable`,
    ]);
    expect(r.console).not.toContain(IMPOSTOR_LINE);
    const refused = /forensic-live: refusing medium (\/dev\/sd[a-z]+)\d*: its live system is not this build's: live\/\S+\.squashfs: FAILED/.exec(r.console)?.[1];
    process.stdout.write(`ISO copy ${refused ? `examined first and refused: ${refused}` : 'not examined (the stick was found first)'}\n`);
    expect(r.finalLine).toBe('FORENSIC-LIVE-SELFTEST PASS');
    for (const name of ['medium-verified', 'efivars-readonly', 'pstore-kept', 'no-rtc-writes', 'block-devices-ro']) {
      const c = r.checks.find((x) => x.check === name);
      expect(c?.pass, `${name}: ${c?.detail}`).toBe(true);
    }
    expect(r.checks.find((c) => c.check === 'efivars-readonly')?.detail).toMatch(/^efivarfs read-only/);
    // The stick was verified and is mounted (check 63 compares them); a refused copy is named there.
    const verified = r.checks.find((c) => c.check === 'medium-verified')?.detail ?? '';
    expect(verified).toMatch(/^\/dev\/sd\w+: 3 files match the build's sha256 .*; refused: /);
    if (refused) {
      expect(verified).toMatch(new RegExp(`; refused: [^;]*${refused}`));
      expect(verified.startsWith(refused)).toBe(false);
    }
    const sb = r.checks.find((c) => c.check === 'secure-boot');
    expect(sb?.detail).toMatch(/Secure Boot: on; kernel lockdown: (integrity|confidentiality)/);
    const cmdline = r.checks.find((c) => c.check === 'kernel-cmdline');
    expect(cmdline?.pass).toBe(true);
    expect(cmdline?.detail).toContain('Forensic live system');
    // The toolkit runs on the image's own Node.js 18 and reads the disks it sees.
    const responder = r.checks.find((c) => c.check === 'responder');
    expect(responder?.pass).toBe(true);
    expect(responder?.detail).toMatch(/^responder \d+\.\d+\.\d+; devices: .*\/dev\//);
    // The image knows its identity: its build id and the sha256 of the ISO, read from the stick.
    expect(r.checks.find((c) => c.check === 'medium')?.detail).toContain(`build ${build.buildJson.buildId}, ISO sha256 ${build.buildJson.iso.sha256}`);
  });
});
