// SPDX-License-Identifier: GPL-3.0-or-later
// A real Debian bookworm tree for the verify/sweep tests, made with mmdebstrap (signatures checked
// against debian-archive-keyring) and cached as a tarball under CACHE_DIR/test-trees/,
// keyed by the package list. The package versions it holds are written next to it, so a test can
// tell when the archive has moved on (a cached tree whose versions are gone needs a new tree).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CACHE_DIR } from './e2e.js';

export const TREE_SUITE = 'bookworm';
export const MIRROR = 'http://deb.debian.org/debian';
export const SECURITY_MIRROR = 'http://deb.debian.org/debian-security';
export const TREE_CACHE = path.join(CACHE_DIR, 'test-trees');

export interface TreeSpec {
  variant: 'minbase';
  include: string[];
}

export interface CachedTree {
  tarball: string;
  /** name, version, architecture of every installed package (from dpkg-query at creation time). */
  packages: { name: string; version: string; arch: string }[];
}

export function treeKey(spec: TreeSpec): string {
  const canonical = JSON.stringify({ suite: TREE_SUITE, variant: spec.variant, include: [...spec.include].sort() });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

function readPackages(file: string): CachedTree['packages'] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const [name, version, arch] = l.split('\t');
      return { name: name!, version: version!, arch: arch! };
    });
}

/** The cached tarball, made when missing (or when `stale` says its versions left the archive). */
export function debianTree(spec: TreeSpec, stale?: (t: CachedTree) => boolean): CachedTree {
  const key = treeKey(spec);
  const tarball = path.join(TREE_CACHE, `${TREE_SUITE}-${spec.variant}-${key}.tar`);
  const list = `${tarball}.packages`;
  if (existsSync(tarball) && existsSync(list)) {
    const cached = { tarball, packages: readPackages(list) };
    if (!stale || !stale(cached)) return cached;
  }
  mkdirSync(TREE_CACHE, { recursive: true });
  const tmp = `${tarball}.tmp-${process.pid}`;
  rmSync(tmp, { force: true });
  const argv = [
    '--quiet',
    '--mode=root',
    `--variant=${spec.variant}`,
    `--include=${spec.include.join(',')}`,
    // The package list comes out of the tree itself, before it is packed.
    `--customize-hook=chroot "$1" dpkg-query -W -f='\${Package}\\t\${Version}\\t\${Architecture}\\n' > "${tmp}.packages"`,
    '--format=tar',
    TREE_SUITE,
    tmp,
    `deb ${MIRROR} ${TREE_SUITE} main`,
    `deb ${MIRROR} ${TREE_SUITE}-updates main`,
    `deb ${SECURITY_MIRROR} ${TREE_SUITE}-security main`,
  ];
  execFileSync('mmdebstrap', argv, { stdio: ['ignore', 'ignore', 'inherit'] });
  renameSync(`${tmp}.packages`, list);
  renameSync(tmp, tarball);
  return { tarball, packages: readPackages(list) };
}

/** Unpack the tarball into a fresh folder (numeric owners and modes kept, as root). */
export function unpackTree(tarball: string, dest: string): string {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  execFileSync('tar', ['--extract', '--file', tarball, '--directory', dest, '--numeric-owner', '--preserve-permissions', '--xattrs', '--xattrs-include=*'], { stdio: 'inherit' });
  return dest;
}

export function writeLines(file: string, lines: string[]): void {
  writeFileSync(file, lines.join('\n') + '\n');
}
