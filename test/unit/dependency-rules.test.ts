// SPDX-License-Identifier: GPL-3.0-or-later
// The direction of dependencies, checked over the TypeScript import graph of src/: the responder
// never imports the builder, src/shared imports neither program, the pipeline never imports a
// stage, neither the profile layer nor the pipeline nor the core stages import a feature folder
// nor the SBOM (features reach them only through the registration, features/index.ts), and no module cycle
// exists (counting imports that exist at run time; `import type` is erased by tsc).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/e2e.js';

const SRC = path.join(REPO, 'src');

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [path.join(dir, e.name)] : [],
  );
}

/** Relative imports of one file, resolved to src-relative .ts paths. */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): Edge[] {
  const edges: Edge[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?(?:[^'"]*?\s+from\s+)?['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[3] ?? m[4]!;
    const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
    edges.push({ from: path.relative(SRC, file), to: path.relative(SRC, target), typeOnly: Boolean(m[2]) });
  }
  return edges;
}

const EDGES = sources(SRC).flatMap((f) => importsOf(f));

/** Feature folders and the registration: the core reaches features only through the list it is handed. */
const FEATURE_FOLDERS = ['builder/features/', 'builder/kernel/', 'builder/forensic/', 'builder/reference/', 'builder/repro/', 'builder/sign/', 'builder/secure-boot/', 'builder/toolkit/'];
/** What the profile layer may not import at run time: the feature folders and the stages. */
const NOT_FOR_PROFILE = [...FEATURE_FOLDERS, 'builder/stages/'];
const importsFeature = (e: Edge, from: string, banned: readonly string[]) => e.from.startsWith(from) && !e.typeOnly && banned.some((f) => e.to.startsWith(f));

const show = (e: Edge) => `${e.from} -> ${e.to}`;

export function violations(edges: readonly Edge[]): Record<string, string[]> {
  return {
    'responder imports builder': edges.filter((e) => e.from.startsWith('responder/') && e.to.startsWith('builder/')).map(show),
    'shared imports a program': edges.filter((e) => e.from.startsWith('shared/') && (e.to.startsWith('builder/') || e.to.startsWith('responder/'))).map(show),
    'pipeline imports a stage': edges.filter((e) => e.from.startsWith('builder/pipeline/') && e.to.startsWith('builder/stages/')).map(show),
    'profile imports a feature': edges.filter((e) => importsFeature(e, 'builder/profile/', NOT_FOR_PROFILE)).map(show),
    'pipeline imports a feature': edges.filter((e) => importsFeature(e, 'builder/pipeline/', FEATURE_FOLDERS)).map(show),
    // sbom/ names no feature even in types: features hand it finished components (BuildFeature.sbom).
    'stages or sbom import a feature': edges
      .filter((e) => importsFeature(e, 'builder/stages/', FEATURE_FOLDERS) || (e.from.startsWith('builder/sbom/') && FEATURE_FOLDERS.some((f) => e.to.startsWith(f))))
      .map(show),
    cycles: cycles(edges.filter((e) => !e.typeOnly)),
  };
}

/** Every strongly connected group of more than one module (Tarjan), as "a -> b -> ..." lines. */
export function cycles(edges: readonly Edge[]): string[] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const found: string[] = [];
  let i = 0;
  const visit = (v: string): void => {
    index.set(v, i);
    low.set(v, i++);
    stack.push(v);
    on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) found.push(group.sort().join(' <-> '));
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe('dependency rules', () => {
  it('finds the imports of the source tree (sanity: the graph is not empty)', () => {
    expect(EDGES.length).toBeGreaterThan(300);
    expect(EDGES).toContainEqual({ from: 'builder/features/index.ts', to: 'builder/stages/index.ts', typeOnly: false });
  });

  it('holds for src/', () => {
    expect(violations(EDGES)).toEqual({
      'responder imports builder': [],
      'shared imports a program': [],
      'pipeline imports a stage': [],
      'profile imports a feature': [],
      'pipeline imports a feature': [],
      'stages or sbom import a feature': [],
      cycles: [],
    });
  });

  it('runs external programs in the builder only through exec/run.ts (no other module imports execa)', () => {
    const importers = sources(path.join(SRC, 'builder')).filter((f) => /^\s*import\s[^;]*?from\s+['"]execa['"]/m.test(readFileSync(f, 'utf8')));
    expect(importers.map((f) => path.relative(SRC, f))).toEqual(['builder/exec/run.ts']);
  });

  it('catches each kind of violation (positive controls)', () => {
    const bad: Edge[] = [
      { from: 'responder/cli/main.ts', to: 'builder/log.ts', typeOnly: false },
      { from: 'shared/hash.ts', to: 'responder/x.ts', typeOnly: false },
      { from: 'builder/pipeline/run-pipeline.ts', to: 'builder/stages/iso.ts', typeOnly: true },
      { from: 'builder/profile/load.ts', to: 'builder/kernel/plan.ts', typeOnly: false },
      { from: 'builder/pipeline/run-pipeline.ts', to: 'builder/features/index.ts', typeOnly: false },
      { from: 'builder/stages/outputs.ts', to: 'builder/toolkit/sbom.ts', typeOnly: false },
      { from: 'builder/stages/bootloader.ts', to: 'builder/secure-boot/stage.ts', typeOnly: true },
      { from: 'builder/sbom/types.ts', to: 'builder/kernel/records.ts', typeOnly: true },
      { from: 'builder/a.ts', to: 'builder/b.ts', typeOnly: false },
      { from: 'builder/b.ts', to: 'builder/a.ts', typeOnly: false },
    ];
    const v = violations(bad);
    // A type-only import of a feature (bootloader -> secure-boot) is allowed: erased at run time; not from sbom/.
    expect(Object.values(v).map((list) => list.length)).toEqual([1, 1, 1, 1, 1, 2, 1]);
  });

  it('reads the import forms the code uses', () => {
    const file = path.join(SRC, 'builder/x/y.ts');
    const text = "import { a } from '../a.js';\nimport type { B } from './b.js';\nexport { c } from '../../shared/c.js';\nconst d = await import('./d.js');\nimport 'node:fs';\n";
    expect(importsOf(file, text).map((e) => `${e.to}${e.typeOnly ? ' (type)' : ''}`)).toEqual(['builder/a.ts', 'builder/x/b.ts (type)', 'shared/c.ts', 'builder/x/d.ts']);
  });
});
