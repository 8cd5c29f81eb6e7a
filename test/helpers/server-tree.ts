// SPDX-License-Identifier: GPL-3.0-or-later
// The bookworm *server* tree of the verify/sweep tests (minbase + systemd, openssh-server, sudo,
// cron, python3: what a server has) and a trusted reference built by the builder's own code from
// the signed archive for exactly its packages. One cached mmdebstrap tree serves test 80 (verify
// and sweep), test 81 (the hostile-evidence corpus) and the forensic boot's verify disk.
import { rmSync } from 'node:fs';
import { planReference, writeReference } from '../../src/builder/reference/build.js';
import type { ReferenceManifest } from '../../src/shared/debian/refdb.js';
import { findReferences, loadPackages, packageKey } from '../../src/responder/reference/load.js';
import { debianTree, MIRROR, SECURITY_MIRROR, TREE_SUITE, type CachedTree } from './debian-tree.js';
import { CACHE_DIR } from './e2e.js';

export const SERVER_SPEC = { variant: 'minbase' as const, include: ['systemd', 'openssh-server', 'cron', 'sudo', 'python3'] };

export async function buildReference(tree: CachedTree, dir: string): Promise<ReferenceManifest> {
  const plan = await planReference({
    sources: [
      { suite: TREE_SUITE, mirror: MIRROR },
      { suite: `${TREE_SUITE}-updates`, mirror: MIRROR },
      { suite: `${TREE_SUITE}-security`, mirror: SECURITY_MIRROR },
    ],
    components: ['main'],
    arch: 'amd64',
    selection: { all: false, priorities: [], packages: [...new Set(tree.packages.map((p) => p.name))], dependencies: false },
    cacheDir: CACHE_DIR,
  });
  rmSync(dir, { recursive: true, force: true });
  return writeReference(plan, dir);
}

/** Package versions of the tree that a reference lacks. */
export async function uncoveredVersions(tree: CachedTree, refDir: string): Promise<string[]> {
  const wanted = new Set(tree.packages.map((p) => packageKey(p.name, p.version, p.arch)));
  const { found } = await loadPackages(findReferences([refDir]), wanted);
  return [...wanted].filter((k) => !found.has(k)).map((k) => k.replace(/\t/g, ' '));
}

/** The cached server tree and its reference in `refDir`; a tree whose versions left the archive is made again. */
export async function serverTreeWithReference(refDir: string): Promise<CachedTree> {
  let tree = debianTree(SERVER_SPEC);
  await buildReference(tree, refDir);
  if ((await uncoveredVersions(tree, refDir)).length) {
    tree = debianTree(SERVER_SPEC, () => true);
    await buildReference(tree, refDir);
  }
  return tree;
}
