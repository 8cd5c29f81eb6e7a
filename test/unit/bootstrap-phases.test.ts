// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { BOOTSTRAP_PHASES, PhaseTracker, lineSplitter, phaseOfLine } from '../../src/builder/stages/bootstrap-phases.js';

// Lines as mmdebstrap 1.3 --verbose prints them (its own, apt's, dpkg's, update-initramfs's).
const LOG: [number, string][] = [
  [0, "I: chroot architecture amd64 is equal to the host's architecture"],
  [1000, 'I: running apt-get update...'],
  [5000, 'Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]'],
  [9000, 'I: downloading packages with apt...'],
  [10000, 'Get:12 http://deb.debian.org/debian bookworm/main amd64 libc6 amd64 2.36-9+deb12u10 [2758 kB]'],
  [40000, 'I: extracting archives...'],
  [50000, 'I: installing essential packages...'],
  [51000, 'Selecting previously unselected package base-files.'],
  [52000, 'Unpacking base-files (12.4+deb12u11) ...'],
  [60000, 'Setting up base-files (12.4+deb12u11) ...'],
  [70000, 'I: running --essential-hook directly: /hooks/essential.sh /tmp/root'],
  [71000, 'I: installing remaining packages inside the chroot...'],
  [72000, 'Preparing to unpack .../linux-image-6.1.0-41-amd64_6.1.158-1_amd64.deb ...'],
  [90000, 'Setting up linux-image-6.1.0-41-amd64 (6.1.158-1) ...'],
  [91000, 'I: /vmlinuz is now a symlink to boot/vmlinuz-6.1.0-41-amd64'],
  [100000, 'Processing triggers for libc-bin (2.36-9+deb12u10) ...'],
  [105000, 'I: running --customize-hook directly: /hooks/customize.sh /tmp/root'],
  [106000, 'update-initramfs: Generating /boot/initrd.img-6.1.0-41-amd64'],
  [136000, 'W: Possible missing firmware /lib/firmware/x.bin for module y'],
  [140000, 'I: cleaning package lists and apt cache...'],
];

describe('mmdebstrap phase timings', () => {
  it('knows the lines that start a phase and ignores the rest', () => {
    expect(phaseOfLine('I: running apt-get update...')).toBe('update');
    expect(phaseOfLine('Get:3 http://deb.debian.org/debian bookworm/main amd64 zstd amd64 1.5.4 [1 kB]')).toBe('download');
    expect(phaseOfLine('Unpacking udev (252.39-1~deb12u1) ...')).toBe('unpack');
    expect(phaseOfLine('Setting up udev (252.39-1~deb12u1) ...')).toBe('configure');
    expect(phaseOfLine('Processing triggers for initramfs-tools (0.142+deb12u3) ...')).toBe('triggers');
    expect(phaseOfLine('update-initramfs: Generating /boot/initrd.img-6.1.0-41-amd64')).toBe('initramfs');
    expect(phaseOfLine('I: /vmlinuz is now a symlink to boot/vmlinuz-6.1.0-41-amd64')).toBeUndefined();
    expect(phaseOfLine('W: Possible missing firmware /lib/firmware/x.bin')).toBeUndefined();
    expect(phaseOfLine('')).toBeUndefined();
  });

  it('gives the time up to the next phase change to the phase that was running', () => {
    const t = new PhaseTracker(0);
    for (const [at, line] of LOG) t.line(line, at);
    const s = t.finish(145000);
    expect(Object.keys(s)).toEqual([...BOOTSTRAP_PHASES]);
    expect(s).toEqual({ setup: 1, update: 8, download: 31, extract: 10, unpack: 10 + 19, configure: 10 + 10, triggers: 5, initramfs: 34, hooks: 1 + 1, cleanup: 5 });
    expect(Object.values(s).reduce((a, b) => a + b, 0)).toBeCloseTo(145, 5);
    expect(t.initramfsRuns).toBe(1);
  });

  it('counts every initramfs generation (a second one is the waste to see)', () => {
    const t = new PhaseTracker(0);
    t.line('update-initramfs: Generating /boot/initrd.img-6.1.0-41-amd64', 10);
    t.line('Processing triggers for initramfs-tools (0.142) ...', 20);
    t.line('update-initramfs: Generating /boot/initrd.img-6.1.0-41-amd64', 30);
    expect(t.initramfsRuns).toBe(2);
    expect(t.finish(50)).toMatchObject({ setup: 0, initramfs: 0, triggers: 0 });
  });

  it('splits chunks into lines across chunk borders', () => {
    const lines: string[] = [];
    const s = lineSplitter((l) => lines.push(l));
    s.push('I: run');
    s.push('ning apt-get update...\nGet:1 x\r\nUnpa');
    s.push('cking y\n');
    s.push('tail');
    s.end();
    expect(lines).toEqual(['I: running apt-get update...', 'Get:1 x', 'Unpacking y', 'tail']);
  });
});
