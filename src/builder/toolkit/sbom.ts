// SPDX-License-Identifier: GPL-3.0-or-later
// The toolkit's part of the SBOM: the bundle, its npm packages (from the dependency list written by
// scripts/bundle-responder.mjs) and the files of image/toolkit/ as they land in the image, as one
// component with the npm packages and files inside it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { fileSha256 } from '../../shared/hash.js';
import { RESPONDER_IN_IMAGE } from '../paths.js';
import { addProperties, Component, ComponentType, fileComponent, licenses, npmPurl, SHA256 } from '../sbom/components.js';
import { imageFiles } from '../sbom/image-files.js';
import type { ImageFile, NpmPackage } from '../sbom/types.js';

/** What the SBOM says of the toolkit, as plain data. */
export interface ToolkitSbom {
  name: string;
  version: string;
  sha256: string;
  path: string;
  packages: NpmPackage[];
  files: ImageFile[];
}

export async function toolkitSbom(repoRoot: string): Promise<ToolkitSbom> {
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

export function toolkitComponent(t: ToolkitSbom): Component {
  const c = new Component(ComponentType.Application, t.name, {
    bomRef: `toolkit:${t.name}`,
    version: t.version,
    description: `forensic-live's ${t.name} toolkit: one file bundled by esbuild, run by the image's Node.js`,
  });
  c.hashes.set(SHA256, t.sha256);
  addProperties(c, { 'forensic-live:path': t.path });
  for (const p of t.packages) {
    const purl = npmPurl(p);
    const dep = new Component(ComponentType.Library, p.name, { version: p.version, purl, bomRef: purl.toString() });
    if (p.license) dep.licenses.add(licenses.makeFromString(p.license));
    c.components.add(dep);
    c.dependencies.add(dep.bomRef);
  }
  for (const f of t.files) c.components.add(fileComponent(`toolkit:${t.name}`, f));
  return c;
}
