// SPDX-License-Identifier: GPL-3.0-or-later
// Kernel modules (profile key `kernel:`): the test profile test/fixtures/profiles/kmod.yaml builds
// the out-of-tree module test/fixtures/kmod/flhello for the image's kernel and loads it at boot;
// one BIOS boot proves the self-test reads its /proc value. The manifest carries no tool chain.
// A prebuilt .ko with another kernel's vermagic is refused; a signing key signs a prebuilt module.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootIso, buildProfile, CACHE_DIR, REPO, runCli, TEST_OUT, WORK_DIR, type BuildOutcome } from '../helpers/e2e.js';
import { SIGNATURE_MAGIC } from '../../src/builder/kernel/modinfo.js';

interface InjectedModule {
  name: string;
  source: { kind: string; package?: string; version?: string; path?: string };
  kernelVersion: string;
  file: string;
  sha256: string;
  signed: boolean;
}

/** Packages that build modules and must never reach an image (binutils is a forensic tool, not listed). */
export const TOOLCHAIN = /^(gcc(-\d+)?|cpp(-\d+)?|g\+\+(-\d+)?|make|dkms|libgcc-\d+-dev|libc6-dev|linux-headers-.*|linux-kbuild-.*|linux-compiler-.*)$/;

function sh(cmd: string, args: string[]): Buffer {
  return execFileSync(cmd, args, { maxBuffer: 1 << 30 });
}

/** A file of the image's upper layer (where the modules are), read from the ISO. */
function upperFile(iso: string, inImage: string, dir: string): Buffer {
  const layer = path.join(dir, 'upper.squashfs');
  sh('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', '/live/20-upper.squashfs', layer]);
  return sh('unsquashfs', ['-cat', layer, inImage.replace(/^\/lib\//, 'usr/lib/')]);
}

function modulesOf(build: BuildOutcome): InjectedModule[] {
  return (build.buildJson as unknown as { kernelModules: InjectedModule[] }).kernelModules;
}

function manifest(build: BuildOutcome, name: string): string[] {
  return readFileSync(path.join(build.outDir, `${name}.packages`), 'utf8')
    .trim()
    .split('\n');
}

let build: BuildOutcome;
let scratch: string;
let flhello: Buffer;
beforeAll(async () => {
  build = await buildProfile(path.join(REPO, 'test/fixtures/profiles/kmod.yaml'));
  scratch = mkdtempSync(path.join(TEST_OUT, 'kmod-'));
  flhello = upperFile(build.iso, modulesOf(build)[0]!.file, scratch);
});

describe('kernel modules from a source folder', () => {
  it('records the module in build.json and the manifest, and puts exactly that file in /lib/modules/KVER/updates', () => {
    const [m, ...more] = modulesOf(build);
    expect(more).toEqual([]);
    const kver = (build.buildJson as unknown as { kernel: string }).kernel;
    expect(m).toEqual({
      name: 'flhello',
      source: { kind: 'folder', path: '../kmod/flhello' },
      kernelVersion: kver,
      file: `/lib/modules/${kver}/updates/flhello.ko`,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      signed: false,
    });
    expect(execFileSync('sha256sum', { input: flhello }).toString().split(' ')[0]).toBe(m!.sha256);
    expect(manifest(build, 'kmod')).toContain(`kernel-module:flhello\t${kver}\tamd64\tfolder:../kmod/flhello\tsha256=${m!.sha256}\tunsigned\t${m!.file}`);
    expect(build.result.stderr).toContain('1 kernel module(s) are unsigned (flhello): they will not load on a machine that enforces Secure Boot (kernel lockdown)');
    const stage = build.buildJson.stages.find((s) => s.stage === 'kernel-modules');
    expect(stage?.detail).toContain('flhello');
  });

  it('leaves no compiler, make, dkms or kernel headers in the image', () => {
    const names = manifest(build, 'kmod').map((l) => l.split('\t')[0]!);
    expect(names).toContain('linux-image-amd64');
    expect(names.filter((n) => TOOLCHAIN.test(n))).toEqual([]);
  });

  it('boots (BIOS, CD) with the module loaded: the self-test reads its /proc value', async () => {
    const r = await bootIso(build.iso, ['--firmware', 'bios', '--media', 'cdrom']);
    expect(r.finalLine).toBe('FORENSIC-LIVE-SELFTEST PASS');
    const check = r.checks.find((c) => c.check === 'kmod');
    expect(check?.pass).toBe(true);
    expect(check?.detail).toContain('flhello: forensic-live-kmod-4711; 1 loaded; /lib/modules/');
  });
});

/** A profile next to its files in a scratch folder, extending minimal. */
function scratchProfile(name: string, kernelYaml: string): string {
  const file = path.join(scratch, `${name}.yaml`);
  writeFileSync(file, `extends: ${path.join(REPO, 'profiles/minimal.yaml')}\nkernel:\n${kernelYaml}`);
  return file;
}

describe('prebuilt modules', () => {
  it('refuses a .ko whose vermagic names another kernel, with a clear one-line message', async () => {
    const kver = modulesOf(build)[0]!.kernelVersion;
    // Same length, so the ELF stays intact: 6.1.0-57-amd64 -> 6.1.0-99-amd64.
    const wrongVersion = kver.replace(/^(\d+\.\d+\.\d+-)(\d+)/, (_, p: string, n: string) => p + '9'.repeat(n.length));
    expect(wrongVersion).not.toBe(kver);
    const bytes = Buffer.from(flhello);
    const at = bytes.indexOf(`vermagic=${kver} `);
    expect(at).toBeGreaterThan(0);
    bytes.write(`vermagic=${wrongVersion} `, at, 'latin1');
    writeFileSync(path.join(scratch, 'flhello-wrong.ko'), bytes);
    const profile = scratchProfile('kmod-wrong', '  prebuilt: [flhello-wrong.ko]\n');
    const r = await runCli(['build', '--profile', profile, '--out', path.join(scratch, 'out-wrong'), '--cache', CACHE_DIR, '--work', WORK_DIR]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`kernel.prebuilt: flhello-wrong.ko does not match the image's kernel: it was built for kernel ${wrongVersion}`);
    expect(r.stderr).toContain(`the image boots ${kver}`);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('signs modules with the key and certificate of kernel.signing (sign-file), recorded as signed', async () => {
    writeFileSync(path.join(scratch, 'flhello.ko'), flhello);
    sh('openssl', [
      'req',
      '-new',
      '-x509',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=forensic-live test module key',
      '-newkey',
      'rsa:2048',
      '-keyout',
      path.join(scratch, 'signing.key'),
      '-out',
      path.join(scratch, 'signing.crt'),
    ]);
    const profile = scratchProfile('kmod-signed', '  prebuilt: [flhello.ko]\n  signing: { key: signing.key, certificate: signing.crt }\n');
    const signed = await buildProfile(profile, 'kmod-signed');
    const [m] = modulesOf(signed);
    expect(m).toMatchObject({ name: 'flhello', source: { kind: 'file', path: 'flhello.ko' }, signed: true });
    const ko = upperFile(signed.iso, m!.file, scratch);
    expect(ko.subarray(ko.length - SIGNATURE_MAGIC.length).equals(SIGNATURE_MAGIC)).toBe(true);
    expect(ko.length).toBeGreaterThan(flhello.length);
    expect(ko.subarray(0, flhello.length).equals(flhello)).toBe(true); // the module itself, then the signature
    expect(signed.result.stderr).not.toContain('unsigned');
  });
});

describe('the forensic profile', () => {
  // 40-forensic built it already: this is a cache hit that only writes the ISO again.
  it('carries the apfs module built from apfs-dkms, and no tool chain', async () => {
    const forensic = await buildProfile('forensic');
    const apfs = modulesOf(forensic).find((m) => m.name === 'apfs');
    expect(apfs).toMatchObject({ source: { kind: 'package', package: 'apfs-dkms', version: expect.any(String) }, file: expect.stringMatching(/^\/lib\/modules\/.*\/updates\/apfs\.ko$/) });
    const lines = manifest(forensic, 'forensic');
    expect(lines.some((l) => l.startsWith('kernel-module:apfs\t') && l.includes('\tpackage:apfs-dkms='))).toBe(true);
    expect(lines.map((l) => l.split('\t')[0]!).filter((n) => TOOLCHAIN.test(n))).toEqual([]);
    const ko = upperFile(forensic.iso, apfs!.file, scratch);
    expect(execFileSync('sha256sum', { input: ko }).toString().split(' ')[0]).toBe(apfs!.sha256);
  });
});
