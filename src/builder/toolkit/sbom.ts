// SPDX-License-Identifier: GPL-3.0-or-later
// The toolkit's part of the SBOM: the bundle, its npm packages (from the dependency list written by
// scripts/bundle-responder.mjs) and the files of image/toolkit/ as they land in the image.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { fileSha256 } from '../../shared/hash.js';
import { RESPONDER_IN_IMAGE } from '../paths.js';
import { imageFiles } from '../sbom/image-files.js';
import type { NpmPackage, SbomInput } from '../sbom/types.js';

export async function toolkitSbom(repoRoot: string): Promise<NonNullable<SbomInput['toolkit']>> {
  const dist = path.join(repoRoot, 'dist', 'responder');
  let deps: { name: string; version: string; packages: NpmPackage[] };
  try {
    deps = JSON.parse(await readFile(path.join(dist, 'responder.deps.json'), 'utf8')) as typeof deps;
  } catch {
    throw new UserError(
      `${path.join(dist, 'responder.deps.json')} is missing or unreadable (the SBOM lists the toolkit's bundled npm packages from it)`,
      'run `npm run build` in the repository first',
    );
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
