// SPDX-License-Identifier: GPL-3.0-or-later
// Stage `reference` (after overlay): the trusted reference database for `responder verify`
// (src/builder/reference/), into the image at /usr/share/forensic-live/reference/ and next to the
// ISO as NAME.reference/. It lives in the upper layer, so its cache key is part of the upper
// layer's key (its upperLayer.keyPart): a cached upper layer already holds the matching database.
import { chmod, copyFile, mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { PrefetchContext, Stage } from '../pipeline/stage.js';
import { REFERENCE_IN_IMAGE } from '../paths.js';
import { INDEX_FILE, MANIFEST_FILE, REFDB_FILE, type ReferenceManifest } from '../../shared/debian/refdb.js';
import { planReference, writeReference, type ReferencePlan } from './build.js';

export { REFERENCE_IN_IMAGE };
const FILES = [REFDB_FILE, INDEX_FILE, MANIFEST_FILE];

/** For NAME.build.json: what the reference holds and how big it is. */
export interface ReferenceSummary {
  directory: string;
  inImage: string;
  key: string;
  suites: { suite: string; date: string; signedBy: string[] }[];
  packages: number;
  files: number;
  bytes: ReferenceManifest['bytes'];
  bytesPer1000Packages: number;
  durationMs: number;
  cache: 'hit' | 'miss';
}

declare module '../pipeline/context.js' {
  interface Products {
    /** Made before the upper layer's key (which includes the plan's key); null when off. */
    referencePlan: ReferencePlan | null;
    reference: ReferenceSummary | null;
  }
}

function planFor(ctx: PrefetchContext): Promise<ReferencePlan> {
  const r = ctx.profile.reference;
  return planReference({
    sources: r.suites,
    components: ctx.profile.distribution.components,
    arch: ctx.profile.distribution.architecture,
    selection: { all: r.all, priorities: r.priorities, packages: r.packages, dependencies: r.dependencies },
    cacheDir: ctx.opts.cacheDir,
    createdAt: new Date(ctx.sourceDateEpoch.epoch * 1000).toISOString(),
  });
}

/** One plan per build (it reads the signed indexes), shared by the prefetch and the upper layer's key. */
const plans = new WeakMap<PrefetchContext, Promise<ReferencePlan | null>>();
function planOnce(ctx: PrefetchContext): Promise<ReferencePlan | null> {
  let plan = plans.get(ctx);
  if (!plan) plans.set(ctx, (plan = ctx.profile.reference.enabled ? planFor(ctx) : Promise.resolve(null)));
  return plan;
}

/**
 * The cache entry a build's prefetch made: the stage uses it as it is (a --no-cache build's lookups
 * always miss) and reports a miss, not a hit.
 */
const madeByPrefetch = new WeakMap<PrefetchContext, string>();

async function copyFiles(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true, mode: 0o755 });
  for (const f of FILES) {
    await copyFile(path.join(from, f), path.join(to, f));
    await chmod(path.join(to, f), 0o644);
  }
}

export const referenceStage: Stage = {
  name: 'reference',
  title: 'Build the trusted package reference',
  needs: ['upperLayer'],
  produces: ['referencePlan', 'reference'],
  // Needs nothing built: the .debs are downloaded, checked and read while the bootstrap runs.
  async prefetch(ctx) {
    const plan = await planOnce(ctx);
    if (!plan || ctx.cache.lookup('reference', plan.key)) return;
    madeByPrefetch.set(ctx, await ctx.cache.create('reference', plan.key, async (tmp) => void (await writeReference(plan, tmp))));
  },
  upperLayer: {
    // The reference database lives in the upper layer: a new one (new packages) rebuilds it.
    async keyPart(ctx) {
      const plan = await planOnce(ctx);
      ctx.set('referencePlan', plan);
      return plan ? { reference: plan.key } : {};
    },
  },
  async run(ctx) {
    const plan = ctx.get('referencePlan');
    if (!plan) {
      ctx.set('reference', null);
      return { cache: 'none', detail: 'off' };
    }
    const started = Date.now();
    const prefetched = madeByPrefetch.get(ctx);
    let entry = prefetched ?? ctx.cache.lookup('reference', plan.key);
    const hit = entry !== undefined && !prefetched;
    entry ??= await ctx.cache.create('reference', plan.key, async (tmp) => {
      await writeReference(plan, tmp);
    });
    const manifest = await ctx.cache.readJson<ReferenceManifest>(entry, MANIFEST_FILE);
    if (ctx.tree) await copyFiles(entry, path.join(ctx.tree.root, REFERENCE_IN_IMAGE));
    // Next to the ISO, replaced as a whole so a reader never sees half of one and half of another.
    const out = ctx.out(`${ctx.profile.name}.reference`);
    const tmp = `${out}.partial-${process.pid}`;
    await rm(tmp, { recursive: true, force: true });
    await copyFiles(entry, tmp);
    await rm(out, { recursive: true, force: true });
    await rename(tmp, out);
    ctx.set('reference', {
      directory: path.basename(out),
      inImage: `/${REFERENCE_IN_IMAGE}`,
      key: plan.key,
      suites: manifest.suites.map((s) => ({ suite: s.suite, date: s.date, signedBy: s.signedBy })),
      packages: manifest.packages,
      files: manifest.files,
      bytes: manifest.bytes,
      bytesPer1000Packages: manifest.bytesPer1000Packages,
      durationMs: Date.now() - started,
      cache: hit ? 'hit' : 'miss',
    });
    const kib = (n: number) => `${Math.round(n / 1024)} KiB`;
    return {
      cache: hit ? 'hit' : 'miss',
      detail: `${madeByPrefetch.has(ctx) ? 'made while the earlier stages ran: ' : ''}${manifest.packages} packages, ${manifest.files} files, database ${kib(manifest.bytes.database)} + index ${kib(manifest.bytes.index)} (${kib(manifest.bytesPer1000Packages)} per 1,000 packages)`,
    };
  },
};
