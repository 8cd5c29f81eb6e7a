// SPDX-License-Identifier: GPL-3.0-or-later
// Gathers the SBOM's facts from a finished build: the package manifest, the image's os-release and
// the overlay folders; each registered feature adds its own components (the toolkit bundle, the
// injected kernel modules: BuildFeature.sbom). The upper layer's cache key covers the overlay
// folders and the bundle, so what is read here is what the image holds, cached or not.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../pipeline/context.js';
import { selftestDir } from '../paths.js';
import { imageFiles } from './image-files.js';
import type { DebianPackage, SbomInput } from './types.js';

export async function collectSbomInput(ctx: BuildContext, packagesTsv: string, iso: SbomInput['iso']): Promise<SbomInput> {
  const overlays: SbomInput['overlays'] = [{ name: 'forensic-live-selftest', files: await imageFiles(selftestDir(ctx.opts.repoRoot)) }];
  for (const o of ctx.profile.overlays) overlays.push({ name: o.name, files: await imageFiles(o.path) });
  const components = [];
  for (const f of ctx.opts.features ?? []) if (f.sbom) components.push(...(await f.sbom(ctx)));
  return {
    builder: { name: 'build-live', version: ctx.toolVersions['build-live'] ?? 'unknown' },
    profile: { name: ctx.profile.name, description: ctx.profile.description, suite: ctx.profile.distribution.suite, architecture: ctx.profile.distribution.architecture },
    buildId: ctx.get('upperLayer').buildId,
    iso,
    timestamp: sbomTime(ctx.startedAt),
    distro: await debianDistro(path.join(ctx.get('baseTree').entry, 'root')),
    packages: parsePackages(packagesTsv),
    overlays,
    components,
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
