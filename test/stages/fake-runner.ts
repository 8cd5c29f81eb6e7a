// SPDX-License-Identifier: GPL-3.0-or-later
// An injected command runner for stage and pipeline tests: no root, no network. Every argv is
// recorded; a matching handler gives its result (and may create files, as mmdebstrap would);
// anything else succeeds with no output.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setExecutor, type ExecResult } from '../../src/builder/exec/run.js';
import { StageCache } from '../../src/builder/pipeline/cache.js';
import { BuildContext } from '../../src/builder/pipeline/context.js';
import { CleanupStack } from '../../src/builder/exec/cleanup.js';
import { setLogMode } from '../../src/builder/log.js';
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
