// SPDX-License-Identifier: GPL-3.0-or-later
// Boots an ISO in QEMU with the self-test fw_cfg switch and reports what the image said on its
// results port. QEMU is a long-running child, so it is spawned here directly (not through run(),
// which waits for completion), in its own process group, and killed on every way out.
import { closeSync, copyFileSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { UserError, formatArgv } from '../errors.js';
import { log } from '../log.js';
import { DEFAULT_CACHE_DIR, planAccel, waitForConsoleOutput, writeKvmVerdict, KVM_PROBE_MS, type AccelChoice } from './accel.js';
import { buildQemuArgv, type DiskSpec, type Firmware, type FwCfgEntry, type Media, type ResolvedAccel } from './argv.js';
import { findOvmf, findQemu } from './firmware.js';
import { parseResults, type CheckResult } from './results.js';
import { consoleTail, QemuProcess } from './process.js';
import { hotplugDisks } from './hotplug.js';
import { pressMenuKeys } from './menu-keys.js';
import type { UserNet } from './user-net.js';

export const SELFTEST_FW_CFG = 'opt/forensic-live/selftest';
export const SCRIPT_FW_CFG = 'opt/forensic-live/script';
export const DEFAULT_TIMEOUT_S = 600;
/** After the last result line the guest powers off by itself; give it this long (disk flushes). */
const POWEROFF_GRACE_MS = 60_000;
/** After "Kernel panic" keep reading a moment so the log holds the whole trace. */
const PANIC_GRACE_MS = 3_000;
const POLL_MS = 1_000;

export interface BootTestOptions {
  iso: string;
  firmware?: Firmware;
  /** UEFI with Microsoft's keys enrolled and Secure Boot enforced. */
  secureBoot?: boolean;
  media?: Media;
  disks?: DiskSpec[];
  /** Seconds for one QEMU run (a failed KVM probe does not eat into it). Default 600. */
  timeoutS?: number;
  accel?: AccelChoice;
  /** Host file handed to the guest and run as root after the self-test. */
  script?: string;
  memoryMiB?: number;
  cpus?: number;
  /** Run directory to use (created if needed) instead of a fresh temporary one. Logs stay either way. */
  keepDir?: string;
  /** Where the KVM verdict is remembered. Default /var/cache/build-live. */
  cacheDir?: string;
  /** Create a QMP socket at this path (see monitor.ts); keep it short (unix sockets: 107 bytes). */
  monitorSocket?: string;
  /** Free PCIe root ports (hotplug0..) for device_add; default 2 with a monitor socket, else 0. */
  hotplugPorts?: number;
  /**
   * Disks (virtio or nvme) hot-plugged through the monitor once the guest is up, i.e. when the first
   * self-test line arrives; a --script can wait for them by serial. Creates a monitor socket if needed.
   */
  hotplugDisks?: DiskSpec[];
  /** A network card on a restricted user-mode network, with TCP forwards to host ports. */
  net?: UserNet;
  /** Keys pressed (QMP send-key) once GRUB's menu is on the console: picks a menu entry. */
  menuKeys?: string[];
  /** More fw_cfg entries for the guest (names must start with opt/). */
  extraFwCfg?: FwCfgEntry[];
  signal?: AbortSignal;
  /** QEMU program (default qemu-system-x86_64 on PATH); tests put a fake here. */
  qemu?: string;
  /** How long a KVM guest may stay silent before KVM is judged broken (default 25 s). */
  kvmProbeMs?: number;
}

export interface BootTestResult {
  /** True only when the image wrote `FORENSIC-LIVE-SELFTEST PASS`. */
  passed: boolean;
  checks: CheckResult[];
  finalLine?: string;
  scriptOutput?: string;
  scriptExitCode?: number;
  durationMs: number;
  accel: ResolvedAccel;
  consoleTail: string;
  runDir: string;
  resultsPath: string;
  consolePath: string;
  qemuLogPath: string;
  /** Set when hot-plugging failed (the run then does not pass). */
  hotplugError?: string;
  /** Set when the menu keys could not be pressed (the run then does not pass). */
  menuKeysError?: string;
  /** Why the run did not pass cleanly (timeout, panic, QEMU error, failed checks, script exit). */
  reason?: string;
}

export async function bootTest(opts: BootTestOptions): Promise<BootTestResult> {
  const started = Date.now();
  const iso = resolve(opts.iso);
  requireFile(iso, 'ISO');
  const script = opts.script !== undefined ? resolve(opts.script) : undefined;
  if (script) requireFile(script, 'script');
  const firmware = opts.firmware ?? 'bios';
  const media = opts.media ?? 'cdrom';
  const timeoutMs = (opts.timeoutS ?? DEFAULT_TIMEOUT_S) * 1000;
  for (const d of opts.disks ?? []) requireFile(resolve(d.path), 'disk image');
  const qemu = findQemu(opts.qemu);
  const ovmf = firmware === 'uefi' ? findOvmf({ secureBoot: opts.secureBoot }) : undefined;
  const cacheDir = opts.cacheDir ?? DEFAULT_CACHE_DIR;

  const runDir = opts.keepDir ? resolve(opts.keepDir) : mkdtempSync(join(tmpdir(), 'build-live-boot-'));
  mkdirSync(runDir, { recursive: true });
  const consolePath = join(runDir, 'console.log');
  const resultsPath = join(runDir, 'results.log');
  const qemuLogPath = join(runDir, 'qemu.log');
  const varsPath = join(runDir, 'OVMF_VARS.fd');
  const hotplug = (opts.hotplugDisks ?? []).map((d) => ({ ...d, path: resolve(d.path) }));
  for (const d of hotplug) requireFile(d.path, 'disk image');
  // Unix socket paths are limited to 107 bytes: fall back to the temp dir for a long run dir.
  const menuKeys = opts.menuKeys ?? [];
  const monitorSocket = opts.monitorSocket ?? (hotplug.length || menuKeys.length ? shortSocketPath(runDir) : undefined);
  let hotplugError: string | undefined;
  let menuKeysError: string | undefined;

  const fwCfg: FwCfgEntry[] = [{ name: SELFTEST_FW_CFG, string: '1' }];
  if (script) fwCfg.push({ name: SCRIPT_FW_CFG, file: script });
  fwCfg.push(...(opts.extraFwCfg ?? []));

  const start = (accel: ResolvedAccel): QemuProcess => {
    for (const f of [consolePath, resultsPath]) writeFileSync(f, '');
    // A fresh variable store per run: OVMF writes boot entries into it.
    if (ovmf) copyFileSync(ovmf.vars, varsPath);
    if (monitorSocket) rmSync(monitorSocket, { force: true });
    const argv = buildQemuArgv({
      qemu,
      iso,
      firmware,
      secureBoot: opts.secureBoot,
      media,
      accel,
      fwCfg,
      disks: (opts.disks ?? []).map((d) => ({ ...d, path: resolve(d.path) })),
      memoryMiB: opts.memoryMiB,
      cpus: opts.cpus,
      consoleLog: consolePath,
      resultsLog: resultsPath,
      ovmfCode: ovmf?.code,
      ovmfVars: ovmf ? varsPath : undefined,
      monitorSocket,
      hotplugPorts: opts.hotplugPorts ?? (monitorSocket ? Math.max(2, hotplug.length) : 0),
      net: opts.net,
    });
    writeFileSync(join(runDir, 'qemu-argv.txt'), formatArgv(argv) + '\n');
    log.info(`boot-test: starting QEMU (${firmware}${opts.secureBoot ? ' with Secure Boot' : ''}, ${media}, ${accel}); logs in ${runDir}`);
    return QemuProcess.spawn(argv, qemuLogPath);
  };

  const plan = planAccel(opts.accel ?? 'auto', cacheDir);
  const probeMs = opts.kvmProbeMs ?? KVM_PROBE_MS;
  log.debug(`boot-test: accelerator ${plan.accel}: ${plan.why}`);
  let accel = plan.accel;
  let proc = start(accel);
  try {
    if (plan.probe) {
      const outcome = await waitForConsoleOutput(consolePath, { timeoutMs: probeMs, exited: () => proc.exited, signal: proc.abortSignal });
      if (outcome === 'output') {
        writeKvmVerdict(cacheDir, { works: true, checkedAt: new Date().toISOString(), reason: 'console output arrived' });
      } else if (outcome === 'silent' || outcome === 'exited') {
        await proc.stop();
        const qemuSaid = readText(qemuLogPath);
        // Record a verdict only when KVM is to blame: a silent guest, or QEMU dying in KVM code.
        if (outcome === 'silent' || /kvm/i.test(qemuSaid)) {
          const reason = outcome === 'silent' ? `no console output within ${probeMs / 1000} s` : lastLine(qemuSaid);
          writeKvmVerdict(cacheDir, { works: false, checkedAt: new Date().toISOString(), reason });
          log.warn(`boot-test: KVM does not work here (${reason}); using TCG from now on`);
        }
        accel = 'tcg';
        proc = start(accel);
      }
    }
    if (menuKeys.length) {
      const current = proc;
      log.info(`boot-test: pressing ${menuKeys.join(' ')} in GRUB's menu`);
      pressMenuKeys({ monitorSocket: monitorSocket!, consolePath, keys: menuKeys, timeoutMs, stopped: () => current.exited }).catch((err: Error) => (menuKeysError = err.message));
    }
    const onGuestUp = hotplug.length
      ? () => {
          log.info(`boot-test: hot-plugging ${hotplug.length} disk(s)`);
          hotplugDisks(monitorSocket!, hotplug).catch((err: Error) => (hotplugError = err.message));
        }
      : undefined;
    const outcome = await watch(proc, { resultsPath, consolePath, timeoutMs, withScript: !!script, signal: opts.signal, onGuestUp });
    await proc.stop(); // before reading the logs for the last time: nothing can be added after
    return finish(outcome);
  } finally {
    await proc.stop();
    if (ovmf) rmSync(varsPath, { force: true }); // 4 MB of no diagnostic value
  }

  function finish(outcome: WatchOutcome): BootTestResult {
    const parsed = parseResults(readText(resultsPath), { final: true });
    const passed = parsed.verdict === 'PASS';
    // A panic with panic=-1 reboots at once, and -no-reboot turns that into a plain QEMU exit,
    // so the console decides, not only the watcher.
    const panic = /Kernel panic[^\n]*/.exec(readText(consolePath));
    let reason: string | undefined = outcome.reason;
    if (outcome.panic || (!reason && !parsed.verdict && panic)) {
      reason = `kernel panic: ${panic ? panic[0].trim() : 'see the console log'}`;
    } else if (!reason && !parsed.verdict) {
      const code = proc.exitCode;
      const said = proc.failure ?? lastLine(readText(qemuLogPath));
      reason = `QEMU exited${code !== undefined ? ` with code ${code}` : ''} before the self-test finished${said ? `: ${said}` : ''}`;
    } else if (!reason && hotplugError) {
      reason = `hot-plug failed: ${hotplugError}`;
    } else if (!reason && menuKeysError) {
      reason = `menu keys failed: ${menuKeysError}`;
    } else if (!reason && parsed.verdict === 'FAIL') {
      reason = `self-test reported FAIL (failed: ${
        parsed.checks
          .filter((c) => !c.pass)
          .map((c) => c.check)
          .join(', ') || 'no check'
      })`;
    } else if (!reason && script && parsed.scriptExitCode === undefined) {
      reason = 'the script did not finish (no FORENSIC-LIVE-SCRIPT EXIT line)';
    } else if (!reason && script && parsed.scriptExitCode !== 0) {
      reason = `the script exited with code ${parsed.scriptExitCode}`;
    }
    return {
      passed: passed && !hotplugError && !menuKeysError,
      ...(hotplugError ? { hotplugError } : {}),
      ...(menuKeysError ? { menuKeysError } : {}),
      checks: parsed.checks,
      finalLine: parsed.finalLine,
      scriptOutput: parsed.scriptOutput,
      scriptExitCode: parsed.scriptExitCode,
      durationMs: Date.now() - started,
      accel,
      consoleTail: consoleTail(readText(consolePath)),
      runDir,
      resultsPath,
      consolePath,
      qemuLogPath,
      reason,
    };
  }
}

interface WatchOutcome {
  /** Set for abnormal ends only (timeout, interruption); results decide the rest. */
  reason?: string;
  panic?: boolean;
}

/** Polls the logs until the results are complete, QEMU exits, the kernel panics or time runs out. */
async function watch(proc: QemuProcess, o: { resultsPath: string; consolePath: string; timeoutMs: number; withScript: boolean; signal?: AbortSignal; onGuestUp?: () => void }): Promise<WatchOutcome> {
  const deadline = Date.now() + o.timeoutMs;
  const console = new LogFollower(o.consolePath);
  let completeAt: number | undefined;
  let panicAt: number | undefined;
  let seenChecks = 0;
  for (;;) {
    const exited = proc.exited; // sample before reading, so the last read sees everything
    const parsed = parseResults(readText(o.resultsPath));
    for (const c of parsed.checks.slice(seenChecks)) log.debug(`boot-test: ${c.pass ? 'pass' : 'FAIL'} ${c.check}: ${c.detail}`);
    // The first result line means userspace is up and the self-test is running.
    if (seenChecks === 0 && (parsed.checks.length > 0 || parsed.verdict)) o.onGuestUp?.();
    seenChecks = parsed.checks.length;
    const complete = parsed.verdict !== undefined && (!o.withScript || parsed.scriptExitCode !== undefined);
    if (exited) return {};
    if (complete) {
      completeAt ??= Date.now();
      // The results are in; let the guest power off by itself so disk writes of a script are flushed.
      if (Date.now() - completeAt > POWEROFF_GRACE_MS) return {};
    }
    if (panicAt === undefined && /Kernel panic/.test(console.readNew())) panicAt = Date.now();
    if (panicAt !== undefined && Date.now() - panicAt > PANIC_GRACE_MS) return { panic: true };
    if (proc.abortSignal.aborted) return { reason: `interrupted by ${proc.interruptedBy ?? 'a signal'}` };
    if (o.signal?.aborted) return { reason: 'aborted' };
    if (!complete && Date.now() > deadline) {
      return { reason: `timed out after ${o.timeoutMs / 1000} s ${parsed.verdict ? 'waiting for the script' : 'waiting for the self-test result'}` };
    }
    await proc.sleep(POLL_MS);
  }
}

/** Reads what was appended to a file since the last call (the console log can grow large). */
class LogFollower {
  private offset = 0;
  private carry = '';
  constructor(private readonly path: string) {}
  readNew(): string {
    let fd: number;
    try {
      fd = openSync(this.path, 'r');
    } catch {
      return '';
    }
    try {
      const size = statSync(this.path).size;
      if (size <= this.offset) return this.carry;
      const buf = Buffer.alloc(size - this.offset);
      const n = readSync(fd, buf, 0, buf.length, this.offset);
      this.offset += n;
      // Keep a little of the previous chunk so a marker split across two reads is still found.
      const text = this.carry + buf.subarray(0, n).toString('latin1');
      this.carry = text.slice(-64);
      return text;
    } finally {
      closeSync(fd);
    }
  }
}

function shortSocketPath(runDir: string): string {
  const p = join(runDir, 'qmp.sock');
  return Buffer.byteLength(p) <= 100 ? p : join(mkdtempSync(join(tmpdir(), 'bl-qmp-')), 'qmp.sock');
}

/** A missing input file is the user's mistake: one line (exit code 2 when it came from the command line). */
export function requireFile(path: string, what: string, exitCode = 1): void {
  let ok = false;
  try {
    const st = statSync(path);
    ok = st.isFile() || st.isBlockDevice();
  } catch {
    ok = false;
  }
  if (!ok) throw new UserError(`${what} not found: ${path}`, undefined, exitCode);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.trim() ?? '';
}
