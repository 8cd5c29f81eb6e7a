// SPDX-License-Identifier: GPL-3.0-or-later
// The last step of loading: from the merged, defaults-applied data to the Profile the pipeline
// uses, with every path made absolute (relative to the file that named it) and every default that
// depends on another value filled in, so no stage has to resolve anything again. Each feature
// (features/index.ts) resolves its own part, in the order they are registered.
import { InternalError } from '../errors.js';
import type { DraftProfile, ProfileFeature } from './feature.js';
import type { Merged } from './merge.js';
import { DEFAULT_LEVEL } from './merged-rules.js';
import { hookScriptPath, overlayPath, profileName } from './paths.js';
import type { MergedProfile } from './schema.js';
import type { Hook, Overlay, Profile, Squashfs } from './types.js';

export interface ResolveContext {
  merged: Merged;
  /** Absolute paths of the chain, child first. */
  sourceFiles: string[];
  repoRoot: string;
}

export function toProfile(out: MergedProfile, ctx: ResolveContext, features: readonly ProfileFeature[]): Profile {
  let d: DraftProfile = {
    name: profileName(ctx.sourceFiles[0]!),
    sourceFiles: ctx.sourceFiles,
    ...(out.description === undefined ? {} : { description: out.description }),
    distribution: out.distribution,
    packages: out.packages,
    slim: out.slim,
    image: out.image,
    overlays: out.overlays.map((name, i): Overlay => ({ name, path: overlayPath(name, fileOf(ctx, ['overlays', i]), ctx.repoRoot) })),
    hooks: out.hooks.map((h, i) => toHook(h, fileOf(ctx, ['hooks', i]))),
    squashfs: toSquashfs(out.squashfs),
    boot: out.boot,
    forensic: out.forensic,
    toolkit: out.toolkit,
    reproducible: out.reproducible,
  };
  const featureCtx = { merged: out, fileOf: (at: (string | number)[]) => fileOf(ctx, at), repoRoot: ctx.repoRoot };
  for (const f of features) d = f.resolve?.(d, featureCtx) ?? d;
  const { kernel, reference } = d;
  if (!kernel || !reference) throw new InternalError(`no registered feature resolved the profile's ${kernel ? 'reference' : 'kernel'} section`);
  // One key order whatever the features did: build.json and the cache keys serialise the profile.
  return {
    name: d.name,
    sourceFiles: d.sourceFiles,
    ...(d.description === undefined ? {} : { description: d.description }),
    distribution: d.distribution,
    packages: d.packages,
    slim: d.slim,
    image: d.image,
    overlays: d.overlays,
    hooks: d.hooks,
    squashfs: d.squashfs,
    boot: d.boot,
    forensic: d.forensic,
    toolkit: d.toolkit,
    reference,
    kernel,
    reproducible: d.reproducible,
  };
}

function toHook(h: MergedProfile['hooks'][number], file: string): Hook {
  if (h.script !== undefined) {
    return { name: h.name, when: h.when, script: hookScriptPath(h.script, file), scriptSource: h.script, args: h.args ?? [] };
  }
  // Validation guarantees exactly one of script/command.
  return { name: h.name, when: h.when, command: h.command ?? [] };
}

function toSquashfs(s: MergedProfile['squashfs']): Squashfs {
  const level = s.compression === 'xz' ? null : (s.level ?? DEFAULT_LEVEL[s.compression]);
  return { compression: s.compression, level, block_size: s.block_size };
}

/** The profile file a merged list item came from: its relative paths are relative to that file. */
function fileOf(ctx: ResolveContext, path: (string | number)[]): string {
  return ctx.merged.locate(path).origin.file.abs;
}
