// SPDX-License-Identifier: GPL-3.0-or-later
// Stage 8: the files next to the ISO. Each is written under a temporary name and renamed.
import { existsSync } from 'node:fs';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../pipeline/context.js';
import type { Stage } from '../pipeline/stage.js';
import { fileSha256 } from '../../shared/hash.js';
import { menuEntries } from './grub-config.js';
import { referenceSummary } from './reference.js';

export const outputsStage: Stage = {
  name: 'outputs',
  title: 'Write checksums, manifest and build record',
  async run(ctx) {
    const started = Date.now();
    const iso = ctx.state.isoPath!;
    const sha256 = await fileSha256(iso);
    ctx.state.isoSha256 = sha256;
    await updateSha256Sums(ctx.opts.outDir, path.basename(iso), sha256);
    const packages = await readFile(path.join(ctx.state.upperEntry!, 'packages.tsv'), 'utf8');
    await writeAtomic(ctx.out(`${ctx.profile.name}.packages`), packages);
    await writeAtomic(ctx.out(`${ctx.profile.name}.build.json`), JSON.stringify(await buildRecord(ctx, sha256, Date.now() - started), null, 2) + '\n');
    return { cache: 'none', detail: `sha256 ${sha256.slice(0, 16)}…` };
  },
};

export async function writeAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.partial`;
  await writeFile(tmp, content);
  await rename(tmp, file);
}

/** SHA256SUMS lists every ISO in the output folder, in `sha256sum -c` format; only this ISO's line changes. */
export async function updateSha256Sums(outDir: string, isoName: string, sha256: string): Promise<void> {
  const file = path.join(outDir, 'SHA256SUMS');
  const lines = existsSync(file) ? (await readFile(file, 'utf8')).split('\n').filter(Boolean) : [];
  const kept = lines.filter((l) => {
    const name = l.replace(/^[0-9a-f]{64} [ *]/, '');
    return name !== isoName && existsSync(path.join(outDir, name));
  });
  kept.push(`${sha256}  ${isoName}`);
  kept.sort((a, b) => (a.slice(66) < b.slice(66) ? -1 : 1));
  await writeAtomic(file, kept.join('\n') + '\n');
}

async function buildRecord(ctx: BuildContext, sha256: string, outputsMs: number): Promise<unknown> {
  const { sourceFiles, ...profile } = ctx.profile;
  return {
    builder: { name: 'build-live', version: ctx.toolVersions['build-live'] },
    profile: ctx.profile.name,
    profileFiles: sourceFiles,
    buildId: ctx.state.buildId,
    iso: { file: path.basename(ctx.state.isoPath!), sha256, bytes: (await stat(ctx.state.isoPath!)).size },
    kernel: ctx.state.kernelVersion,
    bootMenu: menuEntries(ctx.profile),
    reference: referenceSummary(ctx),
    stages: [...ctx.records, { stage: 'outputs', durationMs: outputsMs, cache: 'none' }],
    cache: { dir: ctx.opts.cacheDir, bootstrapKey: ctx.state.bootstrapKey, upperKey: ctx.state.upperKey, used: !ctx.opts.noCache },
    tools: ctx.toolVersions,
    startedAt: ctx.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    resolvedProfile: profile,
  };
}
