// SPDX-License-Identifier: GPL-3.0-or-later
// The responder toolkit in the image (profile key toolkit.responder): the bundle built by
// `npm run build` (dist/responder/responder.mjs) goes to /usr/lib/forensic-live/responder.mjs,
// with image/toolkit/ on top (the /usr/local/bin/responder wrapper and the 35-responder self-test
// check). Only images that enable it get the self-test check, so minimal images still pass.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../pipeline/context.js';
import { UserError } from '../errors.js';
import { run } from '../exec/run.js';
import { treeFingerprint } from './tree-fingerprint.js';

export const RESPONDER_IN_IMAGE = 'usr/lib/forensic-live/responder.mjs';

function bundlePath(ctx: BuildContext): string {
  return path.join(ctx.opts.repoRoot, 'dist', 'responder', 'responder.mjs');
}

function toolkitDir(ctx: BuildContext): string {
  return path.join(ctx.opts.repoRoot, 'image', 'toolkit');
}

function readBundle(ctx: BuildContext): Buffer {
  try {
    return readFileSync(bundlePath(ctx));
  } catch {
    throw new UserError(`the profile enables toolkit.responder but ${path.relative(process.cwd(), bundlePath(ctx)) || bundlePath(ctx)} is missing`, 'run `npm run build` in the repository first');
  }
}

/** For the upper layer's cache key: a changed bundle or wrapper rebuilds the upper layer. */
export async function toolkitFingerprint(ctx: BuildContext): Promise<unknown> {
  if (!ctx.profile.toolkit.responder) return null;
  return {
    bundle: createHash('sha256').update(readBundle(ctx)).digest('hex'),
    files: await treeFingerprint(toolkitDir(ctx)),
  };
}

/** Called by the overlay stage before the profile's overlays, so an overlay may still override. */
export async function installToolkit(ctx: BuildContext, root: string): Promise<string | undefined> {
  if (!ctx.profile.toolkit.responder) return undefined;
  readBundle(ctx); // the clear error, before anything is copied
  const dest = path.join(root, RESPONDER_IN_IMAGE);
  await mkdir(path.dirname(dest), { recursive: true });
  await copyFile(bundlePath(ctx), dest);
  await chmod(dest, 0o644);
  await run(['cp', '--recursive', '--no-dereference', '--preserve=mode,timestamps,links', `${toolkitDir(ctx)}/.`, `${root}/`], { label: 'toolkit' });
  return 'responder toolkit';
}
