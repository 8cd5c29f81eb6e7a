// SPDX-License-Identifier: GPL-3.0-or-later
// Is KVM usable, not just present? Start a tiny VM under KVM with no disks: SeaBIOS writes its
// banner to the debug port within a fraction of a second when KVM works. On some hosts /dev/kvm
// opens but QEMU aborts (failed MSR writes) or the guest hangs; both mean boot tests fall back to
// software emulation (TCG), which is about ten times slower.
import { openSync, closeSync, readFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { start } from '../exec/run.js';
import { onPath } from '../pipeline/preflight.js';
import type { CheckResult } from './types.js';

const PROBE_MS = 10_000;

export async function kvmCheck(): Promise<CheckResult> {
  const name = 'KVM';
  if (!existsSync('/dev/kvm')) {
    return {
      name,
      status: 'warn',
      detail: 'no /dev/kvm: boot tests use software emulation (TCG, about 2-4 minutes per boot)',
      fix: 'enable virtualisation in the firmware and load kvm_intel or kvm_amd, or accept the slower TCG boots',
    };
  }
  try {
    closeSync(openSync('/dev/kvm', 'r+'));
  } catch (err) {
    return {
      name,
      status: 'warn',
      detail: `/dev/kvm present but cannot be opened (${(err as NodeJS.ErrnoException).code}): boot tests fall back to TCG`,
      fix: 'run as root or add the user to the kvm group',
    };
  }
  if (!onPath('qemu-system-x86_64')) return { name, status: 'warn', detail: '/dev/kvm opens; qemu-system-x86_64 missing, so not probed', fix: 'apt-get install qemu-system-x86' };
  const verdict = await probe();
  return verdict.usable
    ? { name, status: 'ok', detail: 'KVM present and usable (a probe VM ran)' }
    : {
        name,
        status: 'warn',
        detail: `KVM present but not usable: ${verdict.reason}; boot tests fall back to software emulation (TCG, slower)`,
        fix: 'nothing to do for builds; for fast boot tests use a host with working nested virtualisation',
      };
}

async function probe(): Promise<{ usable: boolean; reason?: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'build-live-kvm-'));
  const log = path.join(dir, 'debugcon.log');
  const argv = [
    '-accel',
    'kvm',
    '-cpu',
    'max',
    '-machine',
    'q35',
    '-nodefaults',
    '-display',
    'none',
    '-no-reboot',
    '-m',
    '64',
    '-chardev',
    `file,id=dbg,path=${log}`,
    '-device',
    'isa-debugcon,iobase=0x402,chardev=dbg',
  ];
  let output = '';
  let exited = false;
  const child = start(['qemu-system-x86_64', ...argv], { onLine: (line) => (output += `${line}\n`) });
  void child.done.then(() => (exited = true));
  try {
    const started = Date.now();
    while (Date.now() - started < PROBE_MS && !exited) {
      if (existsSync(log) && readFileSync(log, 'utf8').includes('SeaBIOS')) return { usable: true };
      await new Promise((r) => setTimeout(r, 100));
    }
    if (existsSync(log) && readFileSync(log, 'utf8').includes('SeaBIOS')) return { usable: true };
    const lastLine = output.trim().split('\n').filter(Boolean).slice(-2).join(' ');
    return { usable: false, reason: !exited || !lastLine ? `the probe VM printed nothing in ${PROBE_MS / 1000} s (a hang)` : `QEMU stopped: ${lastLine}` };
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
