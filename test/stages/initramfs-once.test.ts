// SPDX-License-Identifier: GPL-3.0-or-later
// The initramfs is generated once per build (issue #17): a profile whose upper layer changes an
// initramfs input (the forensic overlay's initramfs hook, injected kernel modules) is bootstrapped
// without one, under its own cache key, and the initramfs stage generates it from the finished
// tree; other profiles keep the bootstrap's initrd. Real stages, injected command runner.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Stage } from '../../src/builder/pipeline/stage.js';
import { runPipeline } from '../../src/builder/pipeline/run-pipeline.js';
import { bootstrapStage } from '../../src/builder/stages/bootstrap.js';
import { initramfsDeferred, initramfsStage } from '../../src/builder/stages/initramfs.js';
import { loadProfile } from '../../src/builder/features/index.js';
import { sampleProfile } from '../helpers/sample-profile.js';
import { cachedBaseStage, FakeRunner, onOverlayMount, testBuildsPerTest } from './fake-runner.js';

const KVER = '6.1.0-99-amd64';
const repo = path.resolve(__dirname, '../..');
let runner: FakeRunner;
const build = testBuildsPerTest();

/** An overlay folder holding `files` (relative paths). */
function overlay(dir: string, name: string, files: string[]): { name: string; path: string } {
  const root = path.join(dir, name);
  for (const f of files) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    writeFileSync(path.join(root, f), '#!/bin/sh\n');
  }
  mkdirSync(root, { recursive: true });
  return { name, path: root };
}

/** mmdebstrap makes a tree with a kernel, and an initrd unless the deferred hook folder was passed. */
function fakeMmdebstrap(r: FakeRunner): FakeRunner {
  return r.on('mmdebstrap', (argv) => {
    const root = argv.find((a) => a.endsWith('/root'))!;
    for (const d of ['boot', 'etc']) mkdirSync(path.join(root, d), { recursive: true });
    writeFileSync(path.join(root, 'boot', `vmlinuz-${KVER}`), '');
    if (argv.some((a) => a.endsWith('/initramfs-deferred'))) return;
    writeFileSync(path.join(root, 'boot', `initrd.img-${KVER}`), 'base initrd');
    return { stdout: `update-initramfs: Generating /boot/initrd.img-${KVER}\n` };
  });
}

describe('the bootstrap leaves the initramfs to the initramfs stage when that stage regenerates it anyway', () => {
  it('knows the repository profiles: forensic defers (its overlay has an initramfs hook, it injects apfs), minimal and base do not', async () => {
    const results: Record<string, boolean> = {};
    for (const name of ['minimal', 'base', 'forensic']) results[name] = initramfsDeferred(await loadProfile(name, { repoRoot: repo }));
    expect(results).toEqual({ minimal: false, base: false, forensic: true });
  });

  it('defers for an overlay with an initramfs input or a kernel section that changes modules, not for other overlays or kernel.load', () => {
    const b = build();
    const kernel = sampleProfile().kernel;
    expect(initramfsDeferred(sampleProfile({ overlays: [overlay(b.dir, 'plain', ['etc/motd', 'usr/lib/x/y'])] }))).toBe(false);
    expect(initramfsDeferred(sampleProfile({ overlays: [overlay(b.dir, 'hook', ['etc/initramfs-tools/hooks/x'])] }))).toBe(true);
    expect(initramfsDeferred(sampleProfile({ overlays: [overlay(b.dir, 'udev', ['etc/udev/rules.d/00-x.rules'])] }))).toBe(true);
    // An empty folder is no input (the same rule as for the upper layer).
    mkdirSync(path.join(b.dir, 'empty', 'etc/initramfs-tools'), { recursive: true });
    expect(initramfsDeferred(sampleProfile({ overlays: [{ name: 'empty', path: path.join(b.dir, 'empty') }] }))).toBe(false);
    expect(initramfsDeferred(sampleProfile({ kernel: { ...kernel, dkms: ['apfs-dkms'] } }))).toBe(true);
    expect(initramfsDeferred(sampleProfile({ kernel: { ...kernel, blacklist: ['floppy'] } }))).toBe(true);
    expect(initramfsDeferred(sampleProfile({ kernel: { ...kernel, load: ['loop'] } }))).toBe(false);
  });

  it('bootstraps a deferring profile with the deferred hook folder under another cache key; a plain overlay keeps the key', async () => {
    runner = fakeMmdebstrap(new FakeRunner());
    const plain = build();
    await runPipeline(plain.ctx, [bootstrapStage], { renderer: 'silent' });
    const hookDirs = (): string[] => runner.calls.find((c) => c[0] === 'mmdebstrap')!.filter((a) => a.startsWith('--hook-dir='));
    expect(hookDirs().at(-1)).toMatch(/\/initramfs-once$/);
    expect(plain.ctx.get('bootstrapTiming')?.initramfsRuns).toBe(1);

    // Overlays are not part of the bootstrap's key: one without initramfs inputs hits the same tree.
    const withMotd = build(sampleProfile({ overlays: [overlay(plain.dir, 'plain', ['etc/motd'])] }), plain.dir);
    runner.calls.length = 0;
    await runPipeline(withMotd.ctx, [bootstrapStage], { renderer: 'silent' });
    expect(withMotd.ctx.records[0]!.cache).toBe('hit');

    // One with an initramfs hook needs a tree without an initrd: another entry, made with the deferred hooks.
    const deferring = build(sampleProfile({ overlays: [overlay(plain.dir, 'hook', ['etc/initramfs-tools/hooks/x'])] }), plain.dir);
    runner.calls.length = 0;
    await runPipeline(deferring.ctx, [bootstrapStage], { renderer: 'silent' });
    expect(deferring.ctx.records[0]!.cache).toBe('miss');
    expect(hookDirs().at(-1)).toMatch(/\/initramfs-deferred$/);
    expect(deferring.ctx.get('baseTree').key).not.toBe(plain.ctx.get('baseTree').key);
    expect(deferring.ctx.get('bootstrapTiming')?.initramfsRuns).toBe(0);
    expect(existsSync(path.join(deferring.ctx.get('baseTree').entry, 'root/boot', `initrd.img-${KVER}`))).toBe(false);
    expect(existsSync(path.join(plain.ctx.get('baseTree').entry, 'root/boot', `initrd.img-${KVER}`))).toBe(true);
    expect(deferring.ctx.records[0]!.detail).toMatch(/initramfs left to the initramfs stage/);
  });
});

/** A base tree (cached entry) with a kernel and, unless `initrd` is false, an initrd (see fakeTree). */
const baseStage = (initrd: boolean): Stage => cachedBaseStage(`base-${initrd}`, KVER, ['boot']);

/** The "overlay mount" shows the base tree's /boot in the merged root (a real one would show all of it); `upper` files land in the upper dir. */
function fakeTree(initrd: boolean, upper: string[] = []): FakeRunner {
  return onOverlayMount(new FakeRunner(), (merged, upperDir) => {
    mkdirSync(path.join(merged, 'boot'), { recursive: true });
    writeFileSync(path.join(merged, 'boot', `vmlinuz-${KVER}`), 'kernel');
    if (initrd) writeFileSync(path.join(merged, 'boot', `initrd.img-${KVER}`), 'base initrd');
    for (const f of upper) {
      mkdirSync(path.dirname(path.join(upperDir, f)), { recursive: true });
      writeFileSync(path.join(upperDir, f), '');
    }
  }).on('chroot', (argv) => {
    if (argv[2] === 'update-initramfs') writeFileSync(path.join(argv[1]!, 'boot', `initrd.img-${KVER}`), 'generated initrd');
    if (argv[2] === 'lsinitramfs') return { stdout: 'scripts/live\n' };
  });
}

async function runInitramfs(initrd: boolean, upper: string[] = []): Promise<{ generations: string[][]; detail: string; initrd: string }> {
  runner = fakeTree(initrd, upper);
  const b = build();
  await runPipeline(b.ctx, [baseStage(initrd), initramfsStage], { renderer: 'silent' });
  const { readFileSync } = await import('node:fs');
  return {
    generations: runner.calls.filter((c) => c[0] === 'chroot' && c[2] === 'update-initramfs').map((c) => c.slice(2)),
    detail: b.ctx.records.at(-1)!.detail ?? '',
    initrd: readFileSync(b.ctx.get('bootFiles')!.initrd, 'utf8'),
  };
}

describe('the initramfs stage generates the initrd exactly once', () => {
  it('creates it when the bootstrap left none, even if the upper layer changed no input', async () => {
    const r = await runInitramfs(false);
    expect(r.generations).toEqual([['update-initramfs', '-c', '-k', KVER]]);
    expect(r.initrd).toBe('generated initrd');
    expect(r.detail).toMatch(/^generated once, here/);
  });

  it('updates it when the base has one and an input changed; keeps the base one otherwise', async () => {
    const changed = await runInitramfs(true, ['etc/initramfs-tools/hooks/x']);
    expect(changed.generations).toEqual([['update-initramfs', '-u', '-k', KVER]]);
    expect(changed.initrd).toBe('generated initrd');
    const kept = await runInitramfs(true);
    expect(kept.generations).toEqual([]);
    expect(kept.initrd).toBe('base initrd');
  });
});
