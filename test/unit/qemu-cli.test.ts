// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/builder/errors.js';
import type { BootTestResult } from '../../src/builder/qemu/boot-test.js';
import { bootTestCommand, formatSummary, parseDiskSpec } from '../../src/builder/qemu/cli-boot-test.js';
import { consoleTail } from '../../src/builder/qemu/process.js';

describe('parseDiskSpec', () => {
  it('a plain path is a writable raw virtio disk', () => {
    expect(parseDiskSpec('/ev/disk.img')).toEqual({ path: '/ev/disk.img', interface: 'virtio' });
  });
  it('reads the QEMU-like key=value form', () => {
    expect(parseDiskSpec('file=/ev/a.img,if=nvme,serial=EV1,ro')).toEqual({ path: '/ev/a.img', interface: 'nvme', serial: 'EV1', readonly: true });
    expect(parseDiskSpec('if=usb,file=/ev/b.qcow2,format=qcow2,readonly=off')).toEqual({ path: '/ev/b.qcow2', interface: 'usb', format: 'qcow2', readonly: false });
    expect(parseDiskSpec('file=/ev/x,,y.img,if=ahci')).toEqual({ path: '/ev/x,y.img', interface: 'ahci' });
  });
  it('rejects unknown keys, interfaces and a missing file', () => {
    expect(() => parseDiskSpec('file=/a,bus=scsi')).toThrow(/unknown key "bus"/);
    expect(() => parseDiskSpec('file=/a,if=ide')).toThrow(/virtio, ahci, nvme, usb, scsi, sd, floppy/);
    expect(() => parseDiskSpec('if=nvme,serial=x')).toThrow(/no file=PATH/);
  });
});

describe('bootTestCommand input validation', () => {
  it('an unknown flag is a one-line UserError', async () => {
    const err = await bootTestCommand(['--iso', 'x.iso', '--no-such-flag']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toContain('--no-such-flag');
    expect((err as Error).message).not.toContain('\n');
  });
  it('a missing or nonexistent ISO is a clear UserError', async () => {
    await expect(bootTestCommand([])).rejects.toThrow(/--iso is required/);
    await expect(bootTestCommand(['--iso', '/nonexistent/x.iso'])).rejects.toThrow('ISO not found: /nonexistent/x.iso');
  });
  it('validates the enumerated flags and the timeout before booting anything', async () => {
    const iso = new URL(import.meta.url).pathname; // any existing file will do
    await expect(bootTestCommand(['--iso', iso, '--firmware', 'coreboot'])).rejects.toThrow(/--firmware must be one of bios, uefi/);
    await expect(bootTestCommand(['--iso', iso, '--media', 'floppy'])).rejects.toThrow(/--media must be one of cdrom, disk/);
    await expect(bootTestCommand(['--iso', iso, '--accel', 'hvf'])).rejects.toThrow(/--accel must be one of auto, kvm, tcg/);
    await expect(bootTestCommand(['--iso', iso, '--timeout', 'soon'])).rejects.toThrow(/--timeout/);
    await expect(bootTestCommand(['--iso', iso, '--script', '/nonexistent/s.sh'])).rejects.toThrow('script not found');
    await expect(bootTestCommand(['--iso', iso, '--disk', '/nonexistent/d.img'])).rejects.toThrow('disk image not found');
  });
});

const result: BootTestResult = {
  passed: false,
  checks: [
    { check: 'multi-user', pass: true, detail: 'multi-user.target active, system running' },
    { check: 'node', pass: false, detail: 'node --version failed:\nnot found' },
  ],
  finalLine: 'FORENSIC-LIVE-SELFTEST FAIL',
  scriptOutput: 'hello\n',
  scriptExitCode: 0,
  durationMs: 123_456,
  accel: 'tcg',
  consoleTail: '',
  runDir: '/tmp/r',
  resultsPath: '/tmp/r/results.log',
  consolePath: '/tmp/r/console.log',
  qemuLogPath: '/tmp/r/qemu.log',
  reason: 'self-test reported FAIL (failed: node)',
};

describe('formatSummary', () => {
  it('shows each check with a mark, the script, the verdict, the reason and the logs', () => {
    const text = formatSummary(result, { iso: 'x.iso', firmware: 'uefi', media: 'cdrom', script: true });
    expect(text).toContain('boot-test x.iso (uefi, cdrom, tcg): 123.5 s');
    expect(text).toContain('  ✓ multi-user: multi-user.target active, system running');
    expect(text).toContain('  ✗ node: node --version failed: | not found');
    expect(text).toContain('  | hello');
    expect(text).toContain('script exit code: 0');
    expect(text).toContain('\nFAIL\n');
    expect(text).toContain('reason: self-test reported FAIL (failed: node)');
    expect(text).toContain('/tmp/r/console.log');
  });
});

describe('consoleTail', () => {
  it('drops CRs and terminal escapes and keeps the last lines', () => {
    const text = '\x1b[2J\x1b[01;01H\x1b[0m\x1b[30m\x1b[47mWelcome to GRUB!\r\n' + Array.from({ length: 50 }, (_, i) => `line ${i}\r`).join('\n');
    const tail = consoleTail(text, 3);
    expect(tail).toBe('line 47\nline 48\nline 49');
    expect(consoleTail(text, 100)).toMatch(/^Welcome to GRUB!\n/);
  });
});
