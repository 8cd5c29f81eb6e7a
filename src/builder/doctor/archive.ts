// SPDX-License-Identifier: GPL-3.0-or-later
// The disk-space estimate: add up the installed size of the profile's package set with its
// dependencies, from a Packages index read through archive/signed-index.ts.
import type { IndexPackage } from '../archive/signed-index.js';

export type PackageInfo = Pick<IndexPackage, 'installedKiB' | 'priority' | 'essential' | 'depends' | 'provides'>;

const VARIANT_PRIORITIES: Record<string, string[]> = { minbase: ['required'], apt: ['required'], important: ['required', 'important'], standard: ['required', 'important', 'standard'] };

/** The package set mmdebstrap would install (first satisfiable alternative), and its installed size. */
export function estimateInstall(index: Map<string, PackageInfo>, variant: string, include: string[]): { packages: number; installedKiB: number; unknown: string[] } {
  const providers = new Map<string, string>();
  for (const [name, info] of index) for (const v of info.provides) if (!providers.has(v)) providers.set(v, name);
  const wanted = new Set<string>();
  const unknown: string[] = [];
  const priorities = VARIANT_PRIORITIES[variant] ?? ['required'];
  const seeds = [...index].filter(([, i]) => i.essential || (variant !== 'minbase' && priorities.includes(i.priority))).map(([n]) => n);
  if (variant === 'minbase' || variant === 'apt') seeds.push('apt');
  const queue = [...seeds, ...include.map((p) => p.split('=')[0]!)];
  while (queue.length) {
    const name = queue.pop()!;
    const real = index.has(name) ? name : providers.get(name);
    if (!real) {
      unknown.push(name);
      continue;
    }
    if (wanted.has(real)) continue;
    wanted.add(real);
    for (const alts of index.get(real)!.depends) {
      if (alts.some((a) => wanted.has(a))) continue;
      queue.push(alts.find((a) => index.has(a) || providers.has(a)) ?? alts[0]!);
    }
  }
  let installedKiB = 0;
  for (const n of wanted) installedKiB += index.get(n)!.installedKiB;
  return { packages: wanted.size, installedKiB, unknown };
}
