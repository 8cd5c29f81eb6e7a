// SPDX-License-Identifier: GPL-3.0-or-later
// bootTest's orchestration (probe, polling, verdicts, kills) against a fake QEMU: a bash script
// that writes what a guest would write to the two serial log files. Real boots are e2e tests.
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { kvmDeviceOpens, readKvmVerdict } from '../../src/builder/qemu/accel.js';
import { bootTest, type BootTestOptions } from '../../src/builder/qemu/boot-test.js';
import { setLogMode } from '../../src/builder/log.js';

const FAKE_QEMU = `#!/bin/bash
console= results= accel= script=
while [ $# -gt 0 ]; do
  case $1 in
  -serial) if [ -z "$console" ]; then console=\${2#file:}; else results=\${2#file:}; fi; shift ;;
  -accel) accel=$2; shift ;;
  -fw_cfg) case $2 in name=opt/forensic-live/script,file=*) script=\${2#*,file=} ;; esac; shift ;;
  esac
  shift
done
echo $$ >"$FAKE_QEMU_PIDS"
hang() { sleep 600 & echo $! >>"$FAKE_QEMU_PIDS"; wait; }
mode=\${FAKE_QEMU_MODE:-pass}
if [ "$mode" = kvm-silent ] && [ "\${accel%%,*}" = kvm ]; then hang; exit 0; fi
printf 'SeaBIOS (fake)\\r\\n' >>"$console"
case $mode in
pass | kvm-silent)
  printf 'GRUB noise\\r\\n\\r{"check":"a","pass":true,"detail":"ok"}\\n{"check":"b","pass":true,"detail":""}\\nFORENSIC-LIVE-SELFTEST PASS\\n' >>"$results"
  if [ -n "$script" ]; then sh "$script" >>"$results" 2>&1; printf 'FORENSIC-LIVE-SCRIPT EXIT %d\\n' $? >>"$results"; fi ;;
fail) printf '{"check":"a","pass":false,"detail":"broken"}\\nFORENSIC-LIVE-SELFTEST FAIL\\n' >>"$results" ;;
hang) printf '{"check":"a","pass":true,"detail":"ok"}\\n' >>"$results"; hang ;;
panic) printf '[ 1.0] Kernel panic - not syncing: VFS: Unable to mount root fs\\n' >>"$console"; hang ;;
panic-reboot) printf '[ 1.0] Kernel panic - not syncing: Attempted to kill init!\\r\\n[ 1.1] Rebooting in 1 seconds..\\n' >>"$console" ;;
no-exit-line) printf '{"check":"a","pass":true,"detail":"ok"}\\nFORENSIC-LIVE-SELFTEST PASS\\npartial script outp' >>"$results" ;;
die) echo "qemu-system-x86_64: -drive file=x: Could not open 'x': No such file" >&2; exit 1 ;;
esac
exit 0
`;

/** Running (a zombie waiting for init to reap it counts as gone). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('bootTest (fake QEMU)', () => {
  let dir: string;
  let base: BootTestOptions;
  beforeAll(() => {
    setLogMode('quiet');
    dir = mkdtempSync(join(tmpdir(), 'boot-test-'));
    writeFileSync(join(dir, 'qemu'), FAKE_QEMU);
    chmodSync(join(dir, 'qemu'), 0o755);
    writeFileSync(join(dir, 'x.iso'), '');
    process.env.FAKE_QEMU_PIDS = join(dir, 'pids');
  });
  afterAll(() => {
    delete process.env.FAKE_QEMU_MODE;
    delete process.env.FAKE_QEMU_PIDS;
    setLogMode('human');
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach((ctx) => {
    base = { iso: join(dir, 'x.iso'), qemu: join(dir, 'qemu'), accel: 'tcg', keepDir: join(dir, ctx.task.name.replace(/\W+/g, '-')), cacheDir: join(dir, 'cache') };
  });
  const mode = (m: string): void => {
    process.env.FAKE_QEMU_MODE = m;
  };
  const pids = (): number[] => readFileSync(process.env.FAKE_QEMU_PIDS!, 'utf8').trim().split('\n').map(Number);

  it('a passing run: checks, verdict, script output and exit code, logs kept', async () => {
    mode('pass');
    const script = join(dir, 'script.sh');
    writeFileSync(script, 'echo "from the script"\nexit 4\n');
    const r = await bootTest({ ...base, script });
    expect(r.passed).toBe(true);
    expect(r.finalLine).toBe('FORENSIC-LIVE-SELFTEST PASS');
    expect(r.checks).toEqual([
      { check: 'a', pass: true, detail: 'ok' },
      { check: 'b', pass: true, detail: '' },
    ]);
    expect(r.scriptOutput).toBe('from the script\n');
    expect(r.scriptExitCode).toBe(4);
    expect(r.reason).toBe('the script exited with code 4');
    expect(r.accel).toBe('tcg');
    expect(r.consoleTail).toBe('SeaBIOS (fake)');
    expect(r.runDir).toBe(base.keepDir);
    expect(readFileSync(join(r.runDir, 'qemu-argv.txt'), 'utf8')).toContain('name=opt/forensic-live/selftest,string=1');
    expect(existsSync(r.resultsPath)).toBe(true);
  });

  it('a failing self-test names the failed checks', async () => {
    mode('fail');
    const r = await bootTest(base);
    expect(r.passed).toBe(false);
    expect(r.finalLine).toBe('FORENSIC-LIVE-SELFTEST FAIL');
    expect(r.reason).toBe('self-test reported FAIL (failed: a)');
  });

  it('a guest that never finishes is killed at the timeout, with everything it started', async () => {
    mode('hang');
    const r = await bootTest({ ...base, timeoutS: 2 });
    expect(r.passed).toBe(false);
    expect(r.reason).toMatch(/timed out after 2 s waiting for the self-test result/);
    expect(r.checks).toHaveLength(1);
    for (const pid of pids()) expect(alive(pid)).toBe(false);
  });

  it('stops early on a kernel panic', async () => {
    mode('panic');
    const started = Date.now();
    const r = await bootTest({ ...base, timeoutS: 60 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(r.reason).toMatch(/^kernel panic/);
    for (const pid of pids()) expect(alive(pid)).toBe(false);
  });

  it('recognises a panic that rebooted (panic=-1 with -no-reboot ends QEMU)', async () => {
    mode('panic-reboot');
    const r = await bootTest(base);
    expect(r.reason).toBe('kernel panic: Kernel panic - not syncing: Attempted to kill init!');
  });

  it('a script that never reports its exit code is not a clean run', async () => {
    mode('no-exit-line');
    const script = join(dir, 'script2.sh');
    writeFileSync(script, 'true\n');
    const r = await bootTest({ ...base, script });
    expect(r.passed).toBe(true);
    expect(r.scriptExitCode).toBeUndefined();
    expect(r.scriptOutput).toBe('partial script outp');
    expect(r.reason).toBe('the script did not finish (no FORENSIC-LIVE-SCRIPT EXIT line)');
  });

  it('reports what QEMU said when it dies at start', async () => {
    mode('die');
    const r = await bootTest(base);
    expect(r.passed).toBe(false);
    expect(r.reason).toMatch(/QEMU exited with code 1 before the self-test finished: .*Could not open/);
  });

  it('rejects a missing ISO before starting anything', async () => {
    await expect(bootTest({ ...base, iso: join(dir, 'missing.iso') })).rejects.toThrow(/ISO not found/);
  });

  it.skipIf(!kvmDeviceOpens())('auto: a silent KVM guest falls back to TCG and the verdict is remembered', async () => {
    mode('kvm-silent');
    const cacheDir = join(dir, 'probe-cache');
    const r = await bootTest({ ...base, accel: 'auto', cacheDir, kvmProbeMs: 1000 });
    expect(r.accel).toBe('tcg');
    expect(r.passed).toBe(true);
    expect(readKvmVerdict(cacheDir)).toMatchObject({ works: false, reason: 'no console output within 1 s' });
    // The next run goes straight to TCG: no second probe.
    const started = Date.now();
    const again = await bootTest({ ...base, accel: 'auto', cacheDir, kvmProbeMs: 30_000 });
    expect(again.accel).toBe('tcg');
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
