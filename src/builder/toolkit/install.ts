// SPDX-License-Identifier: GPL-3.0-or-later
// The responder toolkit in the image (profile key toolkit.responder), installed by the toolkit stage
// (stage.ts, before overlay, so an overlay may still override a file): the bundle built by
// `npm run build` (dist/responder/responder.mjs) goes to /usr/lib/forensic-live/responder.mjs,
// with image/toolkit/ on top (the /usr/local/bin/responder wrapper and the 35-responder self-test
// check). Only images that enable it get the self-test check, so minimal images still pass.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../pipeline/context.js';
import type { Profile } from '../profile/index.js';
import { RESPONDER_IN_IMAGE, responderBundle, toolkitDir } from '../paths.js';
import { UserError } from '../errors.js';
import { run } from '../exec/run.js';
import { treeFingerprint } from '../stages/tree-fingerprint.js';

export { RESPONDER_IN_IMAGE };

const bundlePath = (ctx: BuildContext): string => responderBundle(ctx.opts.repoRoot);

function missingBundle(repo: string): string {
  return `the profile enables toolkit.responder but ${path.relative(process.cwd(), responderBundle(repo)) || responderBundle(repo)} is missing`;
}

function readBundle(ctx: BuildContext): Buffer {
  try {
    return readFileSync(bundlePath(ctx));
  } catch {
    throw new UserError(missingBundle(ctx.opts.repoRoot), 'run `npm run build` in the repository first');
  }
}

/** For verify: the bundle must exist before the bootstrap starts, not minutes into the build. */
export function toolkitProblems(profile: Profile, repo: string): string[] {
  if (!profile.toolkit.responder || existsSync(responderBundle(repo))) return [];
  return [`${missingBundle(repo)} (run \`npm run build\` in the repository first)`];
}

/** For the upper layer's cache key: a changed bundle or wrapper rebuilds the upper layer. */
export async function toolkitFingerprint(ctx: BuildContext): Promise<unknown> {
  if (!ctx.profile.toolkit.responder) return null;
  return {
    bundle: createHash('sha256').update(readBundle(ctx)).digest('hex'),
    files: await treeFingerprint(toolkitDir(ctx.opts.repoRoot)),
  };
}

/** The toolkit stage's work, before the overlay stage copies the profile's overlays (so an overlay may still override). */
export async function installToolkit(ctx: BuildContext, root: string): Promise<string | undefined> {
  if (!ctx.profile.toolkit.responder) return undefined;
  readBundle(ctx); // the clear error, before anything is copied
  const dest = path.join(root, RESPONDER_IN_IMAGE);
  await mkdir(path.dirname(dest), { recursive: true });
  await copyFile(bundlePath(ctx), dest);
  await chmod(dest, 0o644);
  await run(['cp', '--recursive', '--no-dereference', '--preserve=mode,timestamps,links', `${toolkitDir(ctx.opts.repoRoot)}/.`, `${root}/`], { label: 'toolkit' });
  return 'responder toolkit';
}
