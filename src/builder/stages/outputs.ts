// SPDX-License-Identifier: GPL-3.0-or-later
// Stage 8: the files next to the ISO: package manifest, SBOM, SHA256SUMS (ISO + SBOM), its
// detached signature when asked for, and the build record. Each is written under a temporary name
// and renamed. A SHA256SUMS.sign from an earlier build is removed before SHA256SUMS changes, so a
// signature never claims a SHA256SUMS it did not sign.
import { existsSync } from 'node:fs';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../pipeline/context.js';
import type { Stage } from '../pipeline/stage.js';
import { fileSha256 } from '../../shared/hash.js';
import { menuEntries } from './grub-config.js';
import { collectSbomInput } from '../sbom/collect.js';
import { buildSbom } from '../sbom/cyclonedx.js';

export const SUMS = 'SHA256SUMS';
export const SUMS_SIGNATURE = 'SHA256SUMS.sign';

interface Written {
  file: string;
  sha256: string;
}

declare module '../pipeline/context.js' {
  interface Products {
    /** The ISO as published: path, sha256 and size (what the build prints at the end). */
    published: { iso: string; sha256: string; bytes: number };
  }
}

export const outputsStage: Stage = {
  name: 'outputs',
  title: 'Write checksums, manifest, SBOM and build record',
  needs: ['baseTree', 'bootstrapTiming', 'upperLayer', 'layers', 'iso'],
  produces: ['published'],
  async run(ctx) {
    const started = Date.now();
    const isoPath = ctx.get('iso').path;
    const iso = { file: path.basename(isoPath), sha256: await fileSha256(isoPath), bytes: (await stat(isoPath)).size };
    ctx.set('published', { iso: isoPath, sha256: iso.sha256, bytes: iso.bytes });
    // The image's packages, then what features added (kernel modules), in registration order.
    const features = ctx.opts.features ?? [];
    const packages = (await readFile(path.join(ctx.get('layers').upperEntry, 'packages.tsv'), 'utf8')) + features.map((f) => f.manifest?.(ctx) ?? '').join('');
    await writeAtomic(ctx.out(`${ctx.profile.name}.packages`), packages);
    const sbomText = buildSbom(await collectSbomInput(ctx, packages, iso));
    const sbom = await writeOutput(ctx, `${ctx.profile.name}.cdx.json`, sbomText);
    await rm(ctx.out(SUMS_SIGNATURE), { force: true });
    await updateSha256Sums(ctx.opts.outDir, { [iso.file]: iso.sha256, [sbom.file]: sbom.sha256 });
    let signature: (Written & { key: string }) | undefined;
    if (ctx.opts.signer) {
      await ctx.opts.signer.sign(ctx.out(SUMS), ctx.out(SUMS_SIGNATURE));
      signature = { file: SUMS_SIGNATURE, sha256: await fileSha256(ctx.out(SUMS_SIGNATURE)), key: ctx.opts.signer.fingerprint };
    }
    const outputs = { iso: { file: iso.file, sha256: iso.sha256 }, sbom, sums: { file: SUMS, sha256: await fileSha256(ctx.out(SUMS)) }, signature };
    await writeAtomic(ctx.out(`${ctx.profile.name}.build.json`), JSON.stringify(await buildRecord(ctx, iso, outputs, Date.now() - started), null, 2) + '\n');
    return { cache: 'none', detail: `sha256 ${iso.sha256.slice(0, 16)}…${signature ? `, signed by ${signature.key.slice(-16)}` : ''}` };
  },
};

export async function writeAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.partial`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}

async function writeOutput(ctx: BuildContext, name: string, content: string): Promise<Written> {
  await writeAtomic(ctx.out(name), content);
  return { file: name, sha256: await fileSha256(ctx.out(name)) };
}

/**
 * SHA256SUMS lists the ISOs and SBOMs in the output folder, in `sha256sum -c` format: the given
 * files' lines are replaced, other lines kept while their file still exists.
 */
export async function updateSha256Sums(outDir: string, entries: Record<string, string>): Promise<void> {
  const file = path.join(outDir, SUMS);
  const lines = existsSync(file) ? (await readFile(file, 'utf8')).split('\n').filter(Boolean) : [];
  const kept = lines.filter((l) => {
    const name = l.replace(/^[0-9a-f]{64} [ *]/, '');
    return !(name in entries) && existsSync(path.join(outDir, name));
  });
  for (const [name, sha256] of Object.entries(entries)) kept.push(`${sha256}  ${name}`);
  kept.sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1));
  await writeAtomic(file, kept.join('\n') + '\n');
}

async function buildRecord(ctx: BuildContext, iso: { file: string; sha256: string; bytes: number }, outputs: unknown, outputsMs: number): Promise<unknown> {
  const { sourceFiles, ...profile } = ctx.profile;
  return {
    builder: { name: 'build-live', version: ctx.toolVersions['build-live'] },
    profile: ctx.profile.name,
    profileFiles: sourceFiles,
    buildId: ctx.get('upperLayer').buildId,
    iso,
    outputs,
    kernel: ctx.get('baseTree').kernelVersion,
    sourceDateEpoch: ctx.sourceDateEpoch,
    bootMenu: menuEntries(ctx.profile),
    // Each feature's sections (secureBoot, reference, kernelModules), in registration order.
    ...Object.assign({}, ...(ctx.opts.features ?? []).map((f) => f.record?.(ctx) ?? {})),
    stages: [...ctx.records, { stage: 'outputs', durationMs: outputsMs, cache: 'none' }],
    // Where mmdebstrap's time went, from the build that made the bootstrap cache entry.
    bootstrapPhases: ctx.get('bootstrapTiming'),
    cache: { dir: ctx.opts.cacheDir, bootstrapKey: ctx.get('baseTree').key, upperKey: ctx.get('upperLayer').key, used: !ctx.opts.noCache },
    tools: ctx.toolVersions,
    startedAt: ctx.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    resolvedProfile: profile,
  };
}
