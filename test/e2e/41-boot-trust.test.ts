// SPDX-License-Identifier: GPL-3.0-or-later
// Who picks the medium (issue 12, item 1): GRUB reads its menu, kernel and initrd only from the
// device the firmware booted. An impostor evidence disk (a FAT partition with this build's public
// markers and a grub.cfg of its own, on virtio, the case that won on BIOS before) is attached to
// every boot path: BIOS and UEFI, CD and USB stick, our GRUB and Debian's signed shim + GRUB with
// Secure Boot on and off. The genuine menu comes up every time and the impostor's line never
// appears. The positive control boots the same ISO with the searching early config of earlier
// builds: the impostor takes over, so the test can fail. A medium whose kernel differs from the
// hash in GRUB's memdisk is refused. GRUB-only ISOs: each boot takes seconds, not minutes.
import { readFileSync, mkdirSync, rmSync, existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildQemuArgv, type Firmware, type Media } from '../../src/builder/qemu/argv.js';
import { findOvmf } from '../../src/builder/qemu/firmware.js';
import { spawn } from 'node:child_process';
import { TEST_OUT } from '../helpers/e2e.js';
import { impostorDisk, IMPOSTOR_LINE } from '../helpers/impostor.js';
import { GENUINE_LINE, TRUST_BUILD_ID, trustIso, varsCopy } from '../helpers/grub-trust-iso.js';

const DIR = path.join(TEST_OUT, 'boot-trust');
const isos: Record<string, string> = {};
let impostor: string;

beforeAll(() => {
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
  isos.ours = trustIso(DIR, 'ours');
  isos.signed = trustIso(DIR, 'signed', { signed: true });
  isos.legacy = trustIso(DIR, 'legacy', { legacy: true });
  isos.tamper = trustIso(DIR, 'tamper', { tamper: true });
  impostor = impostorDisk(path.join(DIR, 'impostor.img'), TRUST_BUILD_ID);
});

const STOP = new RegExp(`${GENUINE_LINE}|${IMPOSTOR_LINE}|do not match this build|no other disk is searched|Access Denied|Security Violation`);

/** Boots to GRUB's first word that matters, then stops QEMU; returns the serial console text. */
async function grubBoot(name: string, iso: string, firmware: Firmware, media: Media, secureBoot = false): Promise<string> {
  const consoleLog = path.join(DIR, `${name}.console.log`);
  const fw = firmware === 'uefi' ? findOvmf({ secureBoot }) : undefined;
  const argv = buildQemuArgv({
    iso,
    firmware,
    media,
    secureBoot,
    accel: 'tcg',
    memoryMiB: 512,
    consoleLog,
    resultsLog: path.join(DIR, `${name}.results.log`),
    fwCfg: [],
    ovmfCode: fw?.code,
    ovmfVars: fw ? varsCopy(fw.vars, DIR, name) : undefined,
    disks: [{ path: impostor, interface: 'virtio', readonly: true, serial: 'IMPOSTOR' }],
  });
  const qemu = spawn(argv[0]!, argv.slice(1), { stdio: 'ignore' });
  const started = Date.now();
  let text = '';
  try {
    // Secure Boot under TCG is slow (SMM): about 4 minutes to the menu on a busy 2-core machine.
    while (Date.now() - started < (secureBoot ? 540_000 : 240_000) && qemu.exitCode === null) {
      await new Promise((r) => setTimeout(r, 1000));
      text = existsSync(consoleLog) ? readFileSync(consoleLog, 'utf8') : '';
      if (STOP.test(text)) {
        // A refusal must stay one: give GRUB time to show a menu after it, if it would.
        if (/do not match this build|no other disk is searched/.test(text)) await new Promise((r) => setTimeout(r, 15_000));
        text = readFileSync(consoleLog, 'utf8');
        break;
      }
    }
  } finally {
    qemu.kill('SIGKILL');
  }
  process.stdout.write(
    `${name}: ${((Date.now() - started) / 1000).toFixed(0)} s; ${text
      .split('\n')
      .filter((l) => /forensic-live|FORENSIC-LIVE/.test(l))
      .join(' | ')}\n`,
  );
  return text;
}

describe('GRUB takes the medium only from the boot device', () => {
  const paths: [string, string, Firmware, Media, boolean][] = [
    ['bios-cd', 'ours', 'bios', 'cdrom', false],
    ['bios-usb', 'ours', 'bios', 'disk', false],
    ['uefi-cd', 'ours', 'uefi', 'cdrom', false],
    ['uefi-usb', 'ours', 'uefi', 'disk', false],
    // Secure Boot from the USB stick is the forensic ISO's own boot in 40-forensic (impostor attached).
    ['sb-cd', 'signed', 'uefi', 'cdrom', true],
    ['signed-sb-off-usb', 'signed', 'uefi', 'disk', false],
  ];
  it.each(paths)('%s: the genuine menu, never the impostor', async (name, iso, firmware, media, sb) => {
    const text = await grubBoot(name, isos[iso]!, firmware, media, sb);
    expect(text).not.toContain(IMPOSTOR_LINE);
    expect(text).toContain(GENUINE_LINE);
  });

  it('checks menu, kernel and initrd against the hashes in our GRUB: all OK', () => {
    const text = readFileSync(path.join(DIR, 'bios-cd.console.log'), 'utf8');
    for (const f of ['boot/grub/grub.cfg', 'live/vmlinuz', 'live/initrd.img']) expect(text).toMatch(new RegExp(`${f}: OK`));
  });

  it('refuses a medium whose kernel is not the one whose hash GRUB carries', async () => {
    const text = await grubBoot('tamper', isos.tamper!, 'bios', 'cdrom');
    expect(text).toContain('do not match this build: not booting them');
    expect(text).not.toContain(GENUINE_LINE);
    expect(text).not.toContain(IMPOSTOR_LINE);
  });

  it("records what the firmware's variable store gained: shim writes SbatLevel, Secure Boot on or off; our GRUB writes nothing", () => {
    const sbat = (name: string): string | undefined => {
      const d = readFileSync(path.join(DIR, `${name}.vars.fd`));
      if (!d.includes(Buffer.from('SbatLevel', 'utf16le'))) return undefined;
      const i = d.indexOf('sbat,1,');
      return d.subarray(i, i + 17).toString('latin1');
    };
    expect(sbat('uefi-usb')).toBeUndefined();
    expect(sbat('uefi-cd')).toBeUndefined();
    // Secure Boot on: shim's own (automatic) revocation level; off: the original level 2021030218.
    expect(sbat('sb-cd')).toMatch(/^sbat,1,20\d{8}$/);
    expect(sbat('signed-sb-off-usb')).toBe('sbat,1,2021030218');
  });

  it('positive control: the searching early config of earlier builds boots the impostor (BIOS, CD)', async () => {
    const text = await grubBoot('legacy-bios-cd', isos.legacy!, 'bios', 'cdrom');
    expect(text).toContain(IMPOSTOR_LINE);
  });
});
