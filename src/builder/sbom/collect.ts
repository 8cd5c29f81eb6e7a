// SPDX-License-Identifier: GPL-3.0-or-later
// Gathers the SBOM's facts from a finished build: the package manifest, the image's os-release,
// the toolkit bundle and its dependency list (written by scripts/bundle-responder.mjs), the
// overlay folders and the injected kernel modules. The upper layer's cache key covers the overlay
// folders and the bundle, so what is read here is what the image holds, cached or not.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../pipeline/context.js';
import { UserError } from '../errors.js';
import { fileSha256 } from '../../shared/hash.js';
import { RESPONDER_IN_IMAGE, selftestDir } from '../paths.js';
import { imageFiles } from './image-files.js';
import type { DebianPackage, NpmPackage, SbomInput } from './types.js';

export async function collectSbomInput(ctx: BuildContext, packagesTsv: string, iso: SbomInput['iso']): Promise<SbomInput> {
  const overlays: SbomInput['overlays'] = [{ name: 'forensic-live-selftest', files: await imageFiles(selftestDir(ctx.opts.repoRoot)) }];
  for (const o of ctx.profile.overlays) overlays.push({ name: o.name, files: await imageFiles(o.path) });
  return {
    builder: { name: 'build-live', version: ctx.toolVersions['build-live'] ?? 'unknown' },
    profile: { name: ctx.profile.name, description: ctx.profile.description, suite: ctx.profile.distribution.suite, architecture: ctx.profile.distribution.architecture },
    buildId: ctx.get('upperLayer').buildId,
    iso,
    timestamp: sbomTime(ctx.startedAt),
    distro: await debianDistro(path.join(ctx.get('baseTree').entry, 'root')),
    packages: parsePackages(packagesTsv),
    toolkit: ctx.profile.toolkit.responder ? await toolkit(ctx.opts.repoRoot) : undefined,
    overlays,
    kernelModules: ctx.get('kernelModules'),
  };
}

/** SOURCE_DATE_EPOCH (reproducible builds) when set, otherwise when the build started. */
export function sbomTime(startedAt: Date, env = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : startedAt;
}

/** The packages manifest (NAME\tVERSION\tARCH per line). */
export function parsePackages(tsv: string): DebianPackage[] {
  return tsv
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [name, version, architecture] = line.split('\t');
      if (!name || !version || !architecture) throw new Error(`packages manifest: malformed line '${line}'`);
      return { name, version, architecture };
    });
}

/** purl's distro qualifier from the image's os-release: `debian-12` (VERSION_ID), else the codename, else none. */
export async function debianDistro(root: string): Promise<string | undefined> {
  const text = await readFile(path.join(root, 'usr/lib/os-release'), 'utf8').catch(() => readFile(path.join(root, 'etc/os-release'), 'utf8').catch(() => ''));
  const fields = new Map([...text.matchAll(/^([A-Z_]+)=(?:"([^"]*)"|(\S*))$/gm)].map((m) => [m[1]!, m[2] ?? m[3] ?? '']));
  if (fields.get('ID') !== 'debian') return undefined;
  const versionId = fields.get('VERSION_ID');
  if (versionId && /^\d+$/.test(versionId)) return `debian-${versionId}`;
  return fields.get('VERSION_CODENAME') || undefined;
}

async function toolkit(repoRoot: string): Promise<NonNullable<SbomInput['toolkit']>> {
  const dist = path.join(repoRoot, 'dist', 'responder');
  let deps: { name: string; version: string; packages: NpmPackage[] };
  try {
    deps = JSON.parse(await readFile(path.join(dist, 'responder.deps.json'), 'utf8')) as typeof deps;
  } catch {
    throw new UserError(`${path.join(dist, 'responder.deps.json')} is missing or unreadable (the SBOM lists the toolkit's bundled npm packages from it)`, 'run `npm run build` in the repository first');
  }
  return {
    name: deps.name,
    version: deps.version,
    sha256: await fileSha256(path.join(dist, 'responder.mjs')),
    path: `/${RESPONDER_IN_IMAGE}`,
    packages: deps.packages,
    files: await imageFiles(path.join(repoRoot, 'image', 'toolkit')),
  };
}
