// SPDX-License-Identifier: GPL-3.0-or-later
// An injected command runner for stage and pipeline tests: no root, no network. Every argv is
// recorded; a matching handler gives its result (and may create files, as mmdebstrap would);
// anything else succeeds with no output. Also the set-up those tests share: temp builds removed
// after each test, a cached base tree, and an overlay mount that shows a root to chroot into.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setExecutor, type ExecResult } from '../../src/builder/exec/run.js';
import { StageCache } from '../../src/builder/pipeline/cache.js';
import { BuildContext } from '../../src/builder/pipeline/context.js';
import { CleanupStack } from '../../src/builder/exec/cleanup.js';
import { setLogMode } from '../../src/builder/log.js';
import type { Stage } from '../../src/builder/pipeline/stage.js';
import { afterEach } from 'vitest';
import { sampleProfile } from '../helpers/sample-profile.js';
import type { Profile } from '../../src/builder/profile/index.js';

export type Handler = (argv: readonly string[]) => Promise<Partial<ExecResult> | void> | Partial<ExecResult> | void;

export class FakeRunner {
  readonly calls: string[][] = [];
  private readonly handlers: { program: string; handle: Handler }[] = [];

  constructor() {
    setLogMode('quiet', false);
    setExecutor(async (argv, _opts, onLine) => {
      this.calls.push([...argv]);
      const h = this.handlers.find((x) => x.program === argv[0]);
      const r = (await h?.handle(argv)) ?? {};
      const stdout = r.stdout ?? '';
      for (const line of stdout.split('\n').filter(Boolean)) onLine(line);
      const exitCode = r.exitCode ?? 0;
      return { exitCode, stdout, stderr: r.stderr ?? '', all: r.all ?? stdout, failed: exitCode !== 0 };
    });
  }

  on(program: string, handle: Handler): this {
    this.handlers.push({ program, handle });
    return this;
  }

  /** The argv[0]s run so far (with argv[1] for mount: which filesystem). */
  programs(): string[] {
    return this.calls.map((c) => (c[0] === 'mount' ? `mount ${c[2]}` : c[0]!));
  }

  restore(): void {
    setExecutor(undefined);
  }
}

export interface TestBuild {
  dir: string;
  ctx: BuildContext;
  cleanup: CleanupStack;
  remove(): void;
}

/** A build context over temp folders (cache, work, out) with an empty product set. */
export function testBuild(profile: Profile = sampleProfile(), dir = mkdtempSync(path.join(tmpdir(), 'stages-'))): TestBuild {
  const cleanup = new CleanupStack();
  // The builder's own mmdebstrap hooks are part of the bootstrap's key: an empty folder stands in.
  mkdirSync(path.join(dir, 'repo', 'image', 'mmdebstrap-hooks'), { recursive: true });
  const opts = { profile, repoRoot: path.join(dir, 'repo'), outDir: path.join(dir, 'out'), cacheDir: path.join(dir, 'cache'), workRoot: path.join(dir, 'work'), noCache: false };
  const ctx = new BuildContext(opts, new StageCache(opts.cacheDir), cleanup, { mmdebstrap: 'mmdebstrap 1.3.5', mksquashfs: 'mksquashfs 4.5.1' }, { epoch: 1700000000, from: 'test' });
  return { dir, ctx, cleanup, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Test builds for one test file: each `build()` is removed, and the injected runner restored,
 * after every test (call once at the top of the file).
 */
export function testBuildsPerTest(): (profile?: Profile, dir?: string) => TestBuild {
  const builds: TestBuild[] = [];
  afterEach(() => {
    setExecutor(undefined);
    for (const b of builds.splice(0)) b.remove();
  });
  return (profile, dir) => {
    const b = testBuild(profile, dir);
    builds.push(b);
    return b;
  };
}

/** A base tree as the bootstrap stage leaves it, from the cache (no real bootstrap): `dirs` made under its root. */
export function cachedBaseStage(key: string, kernelVersion: string, dirs: string[]): Stage {
  return {
    name: 'base',
    title: 'base',
    needs: [],
    produces: ['baseTree'],
    async run(ctx) {
      const entry = ctx.cache.entryPath('bootstrap', key);
      for (const d of dirs) mkdirSync(path.join(entry, 'root', d), { recursive: true });
      ctx.set('baseTree', { entry, key, kernelVersion });
      return { cache: 'hit' };
    },
  };
}

/**
 * The overlay "mount" shows the folders the chroot set-up writes into (a real one would show the
 * base tree); `fill` may add more to the merged root and the upper directory.
 */
export function onOverlayMount(runner: FakeRunner, fill?: (merged: string, upperDir: string) => void): FakeRunner {
  return runner.on('mount', (argv) => {
    if (argv[2] !== 'overlay') return;
    const merged = argv.at(-1)!;
    for (const d of ['usr/sbin', 'etc']) mkdirSync(path.join(merged, d), { recursive: true });
    fill?.(merged, argv.find((a) => a.includes('upperdir='))!.match(/upperdir=([^,]+)/)![1]!);
  });
}
