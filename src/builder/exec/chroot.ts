// SPDX-License-Identifier: GPL-3.0-or-later
// Running commands inside the image tree. All chroot mechanics live here, not in the stages:
// the API filesystems (proc, sys, dev, dev/pts, run), a resolv.conf for apt, and a policy-rc.d
// that forbids any service from starting during the build. Everything is undone on leave(), and
// also by the cleanup stack when the build fails or is interrupted.
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CleanupStack } from './cleanup.js';
import { mount } from './mounts.js';
import { run, SYSTEM_PATH, type RunOptions, type RunResult } from './run.js';

const POLICY_RC_D = '#!/bin/sh\n# forensic-live build: no service may start inside the build chroot\nexit 101\n';

export class Chroot {
  private undo: (() => Promise<void>)[] = [];

  private constructor(
    readonly root: string,
    private readonly cleanup: CleanupStack,
  ) {}

  /** Prepare `root` for commands; pair every enter() with leave() (the cleanup stack is the safety net). */
  static async enter(root: string, cleanup: CleanupStack): Promise<Chroot> {
    const c = new Chroot(root, cleanup);
    try {
      await c.setUp();
    } catch (err) {
      await c.leave();
      throw err;
    }
    return c;
  }

  private async setUp(): Promise<void> {
    const r = (p: string) => path.join(this.root, p);
    const mounts: { type?: string; source: string; target: string; options?: string[] }[] = [
      { type: 'proc', source: 'proc', target: r('proc') },
      { type: 'sysfs', source: 'sysfs', target: r('sys'), options: ['ro'] },
      { source: '/dev', target: r('dev'), options: ['bind'] },
      { type: 'devpts', source: 'devpts', target: r('dev/pts'), options: ['newinstance', 'ptmxmode=0666'] },
      { type: 'tmpfs', source: 'tmpfs', target: r('run'), options: ['mode=0755'] },
    ];
    for (const m of mounts) {
      await mkdir(m.target, { recursive: true });
      this.undo.push(await mount(this.cleanup, m));
    }
    await this.replaceFile('usr/sbin/policy-rc.d', POLICY_RC_D, 0o755);
    if (existsSync('/etc/resolv.conf')) await this.replaceFile('etc/resolv.conf', null, 0o644, '/etc/resolv.conf');
  }

  /**
   * Put a file in place for the build and restore what was there before on leave().
   * A symlink in the image (e.g. resolv.conf -> ../run/...) is removed first and put back after.
   */
  private async replaceFile(rel: string, content: string | null, mode: number, copyFrom?: string): Promise<void> {
    const target = path.join(this.root, rel);
    const backup = `${target}.forensic-live-saved`;
    // rename moves a symlink as a link, so what the image had is put back exactly.
    const existed = await rename(target, backup).then(
      () => true,
      () => false,
    );
    if (copyFrom) await copyFile(copyFrom, target);
    else await writeFile(target, content ?? '');
    await chmod(target, mode);
    const restore = async () => {
      await rm(target, { force: true });
      if (existed) await rename(backup, target);
    };
    this.undo.push(this.cleanup.push(`restore ${rel}`, restore));
  }

  /** Run argv inside the image tree (argv[0] is a path inside the image or a name on its PATH). */
  async run(argv: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
    return run(['chroot', this.root, ...argv], {
      ...opts,
      label: opts.label ?? `chroot:${path.basename(argv[0] ?? '')}`,
      env: {
        PATH: SYSTEM_PATH,
        DEBIAN_FRONTEND: 'noninteractive',
        DEBCONF_NONINTERACTIVE_SEEN: 'true',
        LANG: 'C.UTF-8',
        HOME: '/root',
        ...opts.env,
      },
    });
  }

  /** Undo everything in reverse: restore files, unmount run, dev/pts, dev, sys, proc. */
  async leave(): Promise<void> {
    while (this.undo.length) await this.undo.pop()!();
  }
}
