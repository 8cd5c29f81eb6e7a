// SPDX-License-Identifier: GPL-3.0-or-later
// What the module build will make and its cache key, decided before anything is built: the
// image's kernel version and package version, the exact archive versions of the DKMS packages,
// a content hash of each source folder, the sha256 (and checked vermagic) of each prebuilt .ko,
// and the signing certificate. Made once per build (the upper layer's key needs it first).
import { createHash } from 'node:crypto';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { cacheKey } from '../pipeline/cache.js';
import type { BuildContext } from '../pipeline/context.js';
import type { ProfilePath } from '../profile/types.js';
import type { Profile } from '../profile/index.js';
import { UserError } from '../errors.js';
import { fileSha256 } from '../../shared/hash.js';
import { treeFingerprint } from '../stages/tree-fingerprint.js';
import { candidateVersions } from './archive-versions.js';
import { readModinfo, vermagicMismatch } from './modinfo.js';
import { injectsModules, kernelSectionUsed } from './profile.js';

/** Bump when the way modules are built changes. */
export const KMOD_FORMAT = 1;

export interface ModulePlan {
  key: string;
  kernelVersion: string;
  /** Version of the linux-image-KVER package in the image: the headers are pinned to it. */
  kernelPackageVersion: string;
  dkms: { package: string; version: string }[];
  sources: (ProfilePath & { tree: string })[];
  prebuilt: (ProfilePath & { sha256: string; vermagic: string })[];
  signing: { key: ProfilePath; certificate: ProfilePath; certificateSha256: string } | null;
}

/** The plan, or null when the profile injects no module (made once, by the stage's upper-layer key part). */
export function modulePlan(ctx: BuildContext): Promise<ModulePlan | null> {
  return injectsModules(ctx.profile.kernel) ? makePlan(ctx) : Promise.resolve(null);
}

/** For the upper layer's key: null when the kernel section changes nothing in the image. */
export function kernelFingerprint(profile: Profile, plan: ModulePlan | null): unknown {
  const k = profile.kernel;
  if (!kernelSectionUsed(k)) return null;
  return { modules: plan?.key ?? null, load: k.load, blacklist: k.blacklist, initramfs: k.initramfs };
}

async function makePlan(ctx: BuildContext): Promise<ModulePlan> {
  const k = ctx.profile.kernel;
  const base = ctx.get('baseTree');
  const root = path.join(base.entry, 'root');
  const kernelVersion = base.kernelVersion;
  const kernelPackageVersion = await installedVersion(base.entry, `linux-image-${kernelVersion}`);
  const versions = await candidateVersions(ctx.profile.distribution, k.dkms, ctx.opts.cacheDir);
  const dkms = k.dkms.map((name) => ({ package: name, version: versions.get(name)! }));
  const sources = [];
  for (const s of k.sources) sources.push({ ...s, tree: await treeFingerprint(s.path) });
  const prebuilt = [];
  if (k.prebuilt.length) {
    const want = await kernelVermagic(root, kernelVersion);
    for (const p of k.prebuilt) {
      const got = moduleVermagic(await readFile(p.path), p.source);
      const why = vermagicMismatch(got, want, kernelVersion);
      if (why) throw new UserError(`kernel.prebuilt: ${p.source} does not match the image's kernel: ${why}`, 'rebuild the module for the image kernel, or list its source folder in kernel.sources');
      prebuilt.push({ ...p, sha256: await fileSha256(p.path), vermagic: got! });
    }
  }
  const signing = k.signing && { ...k.signing, certificateSha256: await fileSha256(k.signing.certificate.path) };
  // The private key is in the key only as a hash of a hash: a new key re-signs, nothing leaks.
  const keyHash = k.signing
    ? createHash('sha256')
        .update(await fileSha256(k.signing.key.path))
        .digest('hex')
    : null;
  const key = cacheKey({
    format: KMOD_FORMAT,
    base: base.key,
    kernelVersion,
    kernelPackageVersion,
    dkms,
    sources: sources.map((s) => ({ source: s.source, tree: s.tree })),
    prebuilt: prebuilt.map((p) => ({ source: p.source, sha256: p.sha256 })),
    signing: signing ? { certificate: signing.certificateSha256, key: keyHash } : null,
  });
  return { key, kernelVersion, kernelPackageVersion, dkms, sources, prebuilt, signing };
}

function moduleVermagic(ko: Buffer, source: string): string | undefined {
  try {
    return readModinfo(ko).get('vermagic');
  } catch (err) {
    throw new UserError(`kernel.prebuilt: ${source} is not a kernel module: ${(err as Error).message}`);
  }
}

/** The version of an installed package, from the bootstrap's package list. */
async function installedVersion(entry: string, pkg: string): Promise<string> {
  const tsv = await readFile(path.join(entry, 'packages.tsv'), 'utf8');
  const line = tsv.split('\n').find((l) => l.startsWith(`${pkg}\t`));
  if (!line) throw new UserError(`the image has no package ${pkg}: kernel modules need the kernel's own package (kernel.package)`);
  return line.split('\t')[1]!;
}

/** The vermagic of the modules shipped with the image's kernel (the first in-tree .ko found; Debian 12 ships them uncompressed). */
export async function kernelVermagic(root: string, kernelVersion: string): Promise<string> {
  const dir = path.join(root, 'usr/lib/modules', kernelVersion, 'kernel');
  const ko = await firstModule(dir);
  if (!ko) throw new UserError(`no modules of kernel ${kernelVersion} in the image (${dir}): cannot check vermagic`);
  const v = readModinfo(await readFile(ko)).get('vermagic');
  if (!v) throw new UserError(`${ko} has no vermagic`);
  return v;
}

async function firstModule(dir: string): Promise<string | undefined> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.isFile() && /\.ko$/.test(e.name)) return path.join(dir, e.name);
  }
  for (const e of entries) {
    if (!e.isDirectory()) continue;
    const found = await firstModule(path.join(dir, e.name));
    if (found) return found;
  }
  return undefined;
}
