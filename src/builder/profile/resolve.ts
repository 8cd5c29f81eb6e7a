// SPDX-License-Identifier: GPL-3.0-or-later
// The last step of loading: from the merged, defaults-applied data to the Profile the pipeline
// uses, with every path made absolute (relative to the file that named it) and every default that
// depends on another value filled in, so no stage has to resolve anything again.
import type { Merged } from './merge.js';
import { DEFAULT_LEVEL } from './merged-rules.js';
import { hookScriptPath, overlayPath, profileName } from './paths.js';
import type { MergedProfile } from './schema.js';
import type { Hook, Overlay, Profile, Squashfs } from './types.js';
import { forensicBoot, forensicOverlays } from '../forensic/boot.js';
import { resolveReference } from '../reference/profile.js';
import { snapshotMirrors } from '../repro/snapshot.js';
import { packagesWithKernel, resolveKernel } from '../kernel/profile.js';

export interface ResolveContext {
  merged: Merged;
  /** Absolute paths of the chain, child first. */
  sourceFiles: string[];
  repoRoot: string;
}

export function toProfile(out: MergedProfile, ctx: ResolveContext): Profile {
  return {
    name: profileName(ctx.sourceFiles[0]!),
    sourceFiles: ctx.sourceFiles,
    ...(out.description === undefined ? {} : { description: out.description }),
    distribution: withSnapshot(out.distribution),
    packages: packagesWithKernel(out.packages, out.kernel.package),
    slim: out.slim,
    image: out.image,
    overlays: forensicOverlays(
      out.overlays.map((name, i): Overlay => ({ name, path: overlayPath(name, fileOf(ctx, ['overlays', i]), ctx.repoRoot) })),
      out.forensic,
      ctx.repoRoot,
    ),
    hooks: out.hooks.map((h, i) => toHook(h, fileOf(ctx, ['hooks', i]))),
    squashfs: toSquashfs(out.squashfs),
    boot: forensicBoot(out.boot, out.forensic),
    forensic: out.forensic,
    toolkit: out.toolkit,
    reference: resolveReference(out.reference, withSnapshot(out.distribution)),
    kernel: resolveKernel(out.kernel, (at) => fileOf(ctx, at)),
    reproducible: out.reproducible,
  };
}

function toHook(h: MergedProfile['hooks'][number], file: string): Hook {
  if (h.script !== undefined) {
    return { name: h.name, when: h.when, script: hookScriptPath(h.script, file), scriptSource: h.script, args: h.args ?? [] };
  }
  // Validation guarantees exactly one of script/command.
  return { name: h.name, when: h.when, command: h.command ?? [] };
}

/** A snapshot replaces the mirrors, so everything that reads the archive reads the pinned state. */
function withSnapshot(d: MergedProfile['distribution']): MergedProfile['distribution'] {
  return d.snapshot ? { ...d, ...snapshotMirrors(d.snapshot, d.security_mirror !== null) } : d;
}

function toSquashfs(s: MergedProfile['squashfs']): Squashfs {
  const level = s.compression === 'xz' ? null : (s.level ?? DEFAULT_LEVEL[s.compression]);
  return { compression: s.compression, level, block_size: s.block_size };
}

/** The profile file a merged list item came from: its relative paths are relative to that file. */
function fileOf(ctx: ResolveContext, path: (string | number)[]): string {
  return ctx.merged.locate(path).origin.file.abs;
}
