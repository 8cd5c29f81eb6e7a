// SPDX-License-Identifier: GPL-3.0-or-later
// Choosing between KVM and TCG. On some hosts /dev/kvm exists and opens but a KVM guest hangs
// forever without a byte of output (measured on the project's CI machines), so `auto` tries KVM
// once, judges it by whether the console shows anything within KVM_PROBE_MS, and remembers the
// verdict per host kernel so later runs go straight to the right accelerator.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import type { ResolvedAccel } from './argv.js';

export type AccelChoice = 'auto' | 'kvm' | 'tcg';
export const ACCEL_CHOICES: readonly AccelChoice[] = ['auto', 'kvm', 'tcg'];

export const DEFAULT_CACHE_DIR = '/var/cache/build-live';
export const VERDICT_FILE = 'kvm-verdict.json';
/** GRUB writes to the serial console within a few seconds even under TCG; 25 s is generous. */
export const KVM_PROBE_MS = 25_000;

export interface KvmVerdict {
  works: boolean;
  checkedAt: string;
  reason: string;
}

export interface AccelPlan {
  accel: ResolvedAccel;
  /** Start with KVM but watch the console, falling back to TCG if it stays silent. */
  probe: boolean;
  why: string;
}

export function kvmDeviceOpens(device = '/dev/kvm'): boolean {
  try {
    closeSync(openSync(device, 'r+'));
    return true;
  } catch {
    return false;
  }
}

/** The decision itself, pure so it can be tested without /dev/kvm or a cache directory. */
export function decideAccel(choice: AccelChoice, kvmOpens: boolean, verdict: KvmVerdict | undefined): AccelPlan {
  if (choice === 'tcg') return { accel: 'tcg', probe: false, why: 'forced by --accel tcg' };
  if (choice === 'kvm') {
    if (!kvmOpens) {
      throw new UserError('--accel kvm: /dev/kvm cannot be opened', 'load the kvm module (and run as root), or use --accel tcg');
    }
    return { accel: 'kvm', probe: false, why: 'forced by --accel kvm' };
  }
  if (!kvmOpens) return { accel: 'tcg', probe: false, why: '/dev/kvm cannot be opened' };
  if (verdict) {
    return verdict.works
      ? { accel: 'kvm', probe: false, why: `KVM worked before on this kernel (${verdict.checkedAt})` }
      : { accel: 'tcg', probe: false, why: `KVM judged broken on this kernel (${verdict.checkedAt}: ${verdict.reason})` };
  }
  return { accel: 'kvm', probe: true, why: 'trying KVM once, falling back to TCG if the console stays silent' };
}

function verdictPath(cacheDir: string): string {
  return join(cacheDir, VERDICT_FILE);
}

function readAll(cacheDir: string): Record<string, KvmVerdict> {
  try {
    const data: unknown = JSON.parse(readFileSync(verdictPath(cacheDir), 'utf8'));
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, KvmVerdict>) : {};
  } catch {
    return {}; // missing or damaged: just probe again
  }
}

export function readKvmVerdict(cacheDir: string, kernel = release()): KvmVerdict | undefined {
  const v = readAll(cacheDir)[kernel];
  return v && typeof v.works === 'boolean' ? v : undefined;
}

/** Best effort (a read-only cache only costs a probe next time); returns whether it was saved. */
export function writeKvmVerdict(cacheDir: string, verdict: KvmVerdict, kernel = release()): boolean {
  try {
    mkdirSync(cacheDir, { recursive: true });
    const all = { ...readAll(cacheDir), [kernel]: verdict };
    const tmp = `${verdictPath(cacheDir)}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(all, null, 2) + '\n');
    renameSync(tmp, verdictPath(cacheDir)); // atomic: parallel runs never read half a file
    return true;
  } catch {
    return false;
  }
}

export function planAccel(choice: AccelChoice, cacheDir = DEFAULT_CACHE_DIR, kernel = release()): AccelPlan {
  const kvmOpens = choice === 'tcg' ? false : kvmDeviceOpens();
  return decideAccel(choice, kvmOpens, choice === 'auto' ? readKvmVerdict(cacheDir, kernel) : undefined);
}

export type ProbeOutcome = 'output' | 'silent' | 'exited' | 'aborted';

/**
 * Waits until the console log has at least one byte ('output'), QEMU exits ('exited'), the
 * signal aborts ('aborted') or `timeoutMs` passes ('silent').
 */
export async function waitForConsoleOutput(consoleLog: string, opts: { timeoutMs?: number; exited: () => boolean; signal?: AbortSignal; pollMs?: number }): Promise<ProbeOutcome> {
  const deadline = Date.now() + (opts.timeoutMs ?? KVM_PROBE_MS);
  for (;;) {
    if (sizeOf(consoleLog) > 0) return 'output';
    if (opts.exited()) return sizeOf(consoleLog) > 0 ? 'output' : 'exited';
    if (opts.signal?.aborted) return 'aborted';
    if (Date.now() >= deadline) return 'silent';
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 250));
  }
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
