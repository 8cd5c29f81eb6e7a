// SPDX-License-Identifier: GPL-3.0-or-later
// The last step of loading: from the merged, defaults-applied data to the Profile the pipeline
// uses, with every path made absolute (relative to the file that named it) and every default that
// depends on another value filled in, so no stage has to resolve anything again. Each feature
// (features/index.ts) resolves its own part, in the order they are registered.
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
  /** The top-level keys of the composed schema, in order: the resolved profile keeps that order. */
  keys: readonly string[];
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
  };
  const featureCtx = { merged: out, fileOf: (at: (string | number)[]) => fileOf(ctx, at), repoRoot: ctx.repoRoot };
  for (const f of features) d = f.resolve?.(d, featureCtx) ?? d;
  // A feature section no step resolved is used as written. One key order whatever the features
  // did (the schema's): build.json and the cache keys serialise the profile.
  const resolved: Record<string, unknown> = { name: d.name, sourceFiles: d.sourceFiles };
  const draft = d as Record<string, unknown>;
  for (const key of ctx.keys) {
    const value = draft[key] ?? (out as unknown as Record<string, unknown>)[key];
    if (key !== 'extends' && value !== undefined) resolved[key] = value;
  }
  return resolved as unknown as Profile;
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
