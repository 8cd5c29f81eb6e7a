// SPDX-License-Identifier: GPL-3.0-or-later
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideAccel, readKvmVerdict, VERDICT_FILE, waitForConsoleOutput, writeKvmVerdict } from '../../src/builder/qemu/accel.js';
import { UserError } from '../../src/builder/errors.js';

const works = { works: true, checkedAt: '2025-01-01T00:00:00Z', reason: 'console output arrived' };
const broken = { works: false, checkedAt: '2025-01-01T00:00:00Z', reason: 'no console output within 25 s' };

describe('decideAccel', () => {
  it('tcg is always tcg, without a probe', () => {
    expect(decideAccel('tcg', true, works)).toMatchObject({ accel: 'tcg', probe: false });
  });
  it('kvm is forced, but needs an openable /dev/kvm', () => {
    expect(decideAccel('kvm', true, broken)).toMatchObject({ accel: 'kvm', probe: false });
    expect(() => decideAccel('kvm', false, undefined)).toThrow(UserError);
  });
  it('auto: no /dev/kvm means TCG; a remembered verdict decides; otherwise probe KVM once', () => {
    expect(decideAccel('auto', false, works)).toMatchObject({ accel: 'tcg', probe: false });
    expect(decideAccel('auto', true, works)).toMatchObject({ accel: 'kvm', probe: false });
    expect(decideAccel('auto', true, broken)).toMatchObject({ accel: 'tcg', probe: false });
    expect(decideAccel('auto', true, undefined)).toMatchObject({ accel: 'kvm', probe: true });
  });
});

describe('KVM verdict cache', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kvm-verdict-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('remembers a verdict per kernel release', () => {
    expect(readKvmVerdict(dir, '6.1.0-1')).toBeUndefined();
    expect(writeKvmVerdict(dir, broken, '6.1.0-1')).toBe(true);
    expect(writeKvmVerdict(dir, works, '6.1.0-2')).toBe(true);
    expect(readKvmVerdict(dir, '6.1.0-1')).toEqual(broken);
    expect(readKvmVerdict(dir, '6.1.0-2')).toEqual(works);
    expect(readKvmVerdict(dir, '6.5.0')).toBeUndefined();
    expect(Object.keys(JSON.parse(readFileSync(join(dir, VERDICT_FILE), 'utf8')) as object)).toEqual(['6.1.0-1', '6.1.0-2']);
  });

  it('treats a damaged file as no verdict, and creates the cache directory', () => {
    writeFileSync(join(dir, VERDICT_FILE), '{not json');
    expect(readKvmVerdict(dir, 'k')).toBeUndefined();
    expect(writeKvmVerdict(join(dir, 'sub', 'dir'), works, 'k')).toBe(true);
    expect(readKvmVerdict(join(dir, 'sub', 'dir'), 'k')).toEqual(works);
  });

  it('does not throw when the cache cannot be written', () => {
    writeFileSync(join(dir, 'file'), '');
    expect(writeKvmVerdict(join(dir, 'file', 'below'), works, 'k')).toBe(false);
  });
});

describe('waitForConsoleOutput', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kvm-probe-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports output as soon as the first byte arrives', async () => {
    const log = join(dir, 'console.log');
    writeFileSync(log, '');
    setTimeout(() => appendFileSync(log, 'G'), 100);
    await expect(waitForConsoleOutput(log, { timeoutMs: 5000, exited: () => false, pollMs: 20 })).resolves.toBe('output');
  });
  it('reports silence after the timeout, and an early exit', async () => {
    const log = join(dir, 'console.log');
    writeFileSync(log, '');
    await expect(waitForConsoleOutput(log, { timeoutMs: 150, exited: () => false, pollMs: 20 })).resolves.toBe('silent');
    await expect(waitForConsoleOutput(log, { timeoutMs: 5000, exited: () => true, pollMs: 20 })).resolves.toBe('exited');
    const ac = new AbortController();
    ac.abort();
    await expect(waitForConsoleOutput(log, { timeoutMs: 5000, exited: () => false, signal: ac.signal })).resolves.toBe('aborted');
  });
});
