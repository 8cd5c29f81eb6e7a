// SPDX-License-Identifier: GPL-3.0-or-later
// Mount helpers. Every mount registers its unmount on the cleanup stack before returning.
import { readFile } from 'node:fs/promises';
import { run } from './run.js';
import type { CleanupStack } from './cleanup.js';

export async function mount(cleanup: CleanupStack, args: { type?: string; source: string; target: string; options?: string[] }): Promise<() => Promise<void>> {
  const argv = ['mount'];
  if (args.type) argv.push('-t', args.type);
  if (args.options?.length) argv.push('-o', args.options.join(','));
  argv.push(args.source, args.target);
  await run(argv, { label: 'mount' });
  return cleanup.push(`umount ${args.target}`, () => unmount(args.target));
}

/** Unmount, falling back to a lazy unmount so a busy target never blocks the cleanup of the rest. */
export async function unmount(target: string): Promise<void> {
  if (!(await isMounted(target))) return;
  const r = await run(['umount', target], { label: 'umount', allowFailure: true });
  if (r.exitCode !== 0) await run(['umount', '--lazy', target], { label: 'umount', allowFailure: true });
}

/** Every mount point at or below `dir`, deepest first (for recovery after a crash). */
export async function mountsBelow(dir: string): Promise<string[]> {
  const table = await readFile('/proc/self/mountinfo', 'utf8');
  const prefix = dir.endsWith('/') ? dir : dir + '/';
  return table
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => !!p)
    .map((p) => p.replace(/\\040/g, ' '))
    .filter((p) => p === dir || p.startsWith(prefix))
    .sort((a, b) => b.length - a.length);
}

export async function isMounted(target: string): Promise<boolean> {
  return (await mountsBelow(target)).includes(target);
}

/** Unmount everything left below `dir` by an earlier, killed build. */
export async function unmountAllBelow(dir: string): Promise<void> {
  for (const m of await mountsBelow(dir)) await unmount(m);
}
