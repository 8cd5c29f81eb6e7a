// SPDX-License-Identifier: GPL-3.0-or-later
// Profile hooks: argv-based commands run inside the image tree's chroot at a named point.
// A failing hook fails the build, naming the hook.
import { createHash } from 'node:crypto';
import { accessSync, constants, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Hook } from '../profile/index.js';
import type { Chroot } from '../exec/chroot.js';
import { UserError, CommandError } from '../errors.js';

/** What identifies a hook's effect: its argv and, for scripts, the script's content. */
export function hookFingerprint(hooks: readonly Hook[]): unknown[] {
  return hooks.map((h) => ({
    name: h.name,
    when: h.when,
    command: h.command,
    args: h.args,
    script: h.script ? createHash('sha256').update(readFileSync(h.script)).digest('hex') : undefined,
  }));
}

/** For verify: hook scripts that are not there (any more) or cannot be read. */
export function hookFileProblems(hooks: readonly Hook[]): string[] {
  return hooks.filter((h) => h.script && !readable(h.script)).map((h) => `hook "${h.name}": script ${h.script} is missing or unreadable`);
}

function readable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

export async function runHooks(chroot: Chroot, hooks: readonly Hook[]): Promise<void> {
  for (const hook of hooks) await runHook(chroot, hook);
}

async function runHook(chroot: Chroot, hook: Hook): Promise<void> {
  let argv: string[];
  let copied: string | undefined;
  if (hook.script) {
    const inside = `/tmp/forensic-live-hooks/${hook.name}`;
    copied = path.join(chroot.root, inside);
    await mkdir(path.dirname(copied), { recursive: true });
    await copyFile(hook.script, copied);
    await chmod(copied, 0o755);
    argv = [inside, ...(hook.args ?? [])];
  } else {
    argv = [...(hook.command ?? [])];
  }
  try {
    await chroot.run(argv, { label: `hook:${hook.name}`, env: { FORENSIC_LIVE_HOOK: hook.name, FORENSIC_LIVE_WHEN: hook.when } });
  } catch (err) {
    if (err instanceof CommandError) {
      throw new UserError(`hook "${hook.name}" (${hook.when}) failed with exit code ${err.exitCode}:\n${err.outputTail}`);
    }
    throw err;
  } finally {
    if (copied) await rm(path.dirname(copied), { recursive: true, force: true });
  }
}
