// SPDX-License-Identifier: GPL-3.0-or-later
// Which packages go into the reference: by priority, by name, or the whole suite, optionally with
// their dependencies (an evidence system that has openssh-server also has the libraries it needs,
// and each of those needs a trusted reference too, or it is UNVERIFIABLE). Every version the
// suites carry is kept (SUITE and SUITE-security usually differ), so a system that is not fully
// up to date can still be verified.
import type { IndexPackage } from '../archive/signed-index.js';

export interface Selection {
  all: boolean;
  priorities: string[];
  packages: string[];
  dependencies: boolean;
}

export interface SuiteIndex {
  suite: string;
  mirror: string;
  packages: IndexPackage[];
}

export interface SelectedPackage extends IndexPackage {
  suite: string;
  mirror: string;
}

export interface SelectionResult {
  selected: SelectedPackage[];
  /** Names asked for explicitly that no suite has. */
  unknown: string[];
}

export function selectPackages(indexes: SuiteIndex[], sel: Selection, arch: string): SelectionResult {
  const archOk = (p: IndexPackage) => p.arch === arch || p.arch === 'all';
  const byName = new Map<string, IndexPackage[]>();
  const providers = new Map<string, string>();
  for (const idx of indexes) {
    for (const p of idx.packages) {
      if (!archOk(p)) continue;
      const list = byName.get(p.name) ?? [];
      list.push(p);
      byName.set(p.name, list);
      for (const v of p.provides) if (!providers.has(v)) providers.set(v, p.name);
    }
  }
  const names = new Set<string>();
  const unknown: string[] = [];
  const queue: string[] = [];
  for (const [name, versions] of byName) {
    if (sel.all || versions.some((v) => sel.priorities.includes(v.priority) || (sel.priorities.includes('required') && v.essential))) queue.push(name);
  }
  for (const n of sel.packages) {
    if (byName.has(n)) queue.push(n);
    else if (providers.has(n)) queue.push(providers.get(n)!);
    else unknown.push(n);
  }
  while (queue.length) {
    const name = queue.pop()!;
    if (names.has(name)) continue;
    names.add(name);
    if (!sel.dependencies) continue;
    for (const v of byName.get(name) ?? []) {
      for (const alts of v.depends) {
        if (alts.some((a) => names.has(a))) continue;
        const real = alts.map((a) => (byName.has(a) ? a : providers.get(a))).find((a) => a !== undefined);
        if (real) queue.push(real);
      }
    }
  }
  const seen = new Set<string>();
  const selected: SelectedPackage[] = [];
  for (const idx of indexes) {
    for (const p of idx.packages) {
      if (!archOk(p) || !names.has(p.name)) continue;
      const id = `${p.name}\t${p.version}\t${p.arch}`;
      if (seen.has(id)) continue;
      seen.add(id);
      selected.push({ ...p, suite: idx.suite, mirror: idx.mirror });
    }
  }
  selected.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.version < b.version ? -1 : 1));
  return { selected, unknown };
}
