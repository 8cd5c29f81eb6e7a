// SPDX-License-Identifier: GPL-3.0-or-later
// The build's SBOM as CycloneDX 1.6 JSON, made with the CycloneDX library (pure: data in, text out).
//   metadata.component  the ISO (its sha256, the build id as version)
//   components          every Debian package (purl pkg:deb/debian/NAME@VERSION?arch=..&distro=..),
//                       each overlay with its files (path in the image + sha256), and what the
//                       registered features add (the responder toolkit with the npm packages
//                       bundled into it, injected kernel modules: BuildFeature.sbom)
//   dependencies        ISO -> each top-level component (and a feature's component -> its own)
// Every bom-ref is derived from the content, and lists are sorted, so equal inputs give equal text.
import { createHash } from 'node:crypto';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import { addProperties, Component, fileComponent, SHA256 } from './components.js';
import type { DebianPackage, ImageFile, SbomInput } from './types.js';

export { npmPurl } from './components.js';

export function debianPurl(p: DebianPackage, distro?: string): PackageURL {
  return new PackageURL('deb', 'debian', p.name, p.version, { arch: p.architecture, ...(distro ? { distro } : {}) }, undefined);
}

export function buildSbom(input: SbomInput): string {
  const bom = new CDX.Models.Bom({ serialNumber: serialNumber(input) });
  const root = new Component(CDX.Enums.ComponentType.OperatingSystem, input.iso.file, {
    bomRef: `iso:${input.iso.file}`,
    version: input.buildId,
    description: input.profile.description ?? `forensic-live ${input.profile.name} image`,
  });
  root.hashes.set(SHA256, input.iso.sha256);
  addProperties(root, {
    'forensic-live:profile': input.profile.name,
    'forensic-live:build-id': input.buildId,
    'forensic-live:iso-bytes': String(input.iso.bytes),
    'forensic-live:suite': input.profile.suite,
    'forensic-live:architecture': input.profile.architecture,
  });
  bom.metadata.component = root;
  bom.metadata.timestamp = input.timestamp;
  bom.metadata.tools.components.add(new Component(CDX.Enums.ComponentType.Application, input.builder.name, { version: input.builder.version, bomRef: `tool:${input.builder.name}` }));

  const top: Component[] = [...input.packages.map((p) => debianComponent(p, input.distro)), ...input.overlays.map((o) => overlayComponent(o.name, o.files)), ...input.components];
  for (const c of top) {
    bom.components.add(c);
    root.dependencies.add(c.bomRef);
  }
  const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6));
  return serializer.serialize(bom, { sortLists: true, space: 2 }) + '\n';
}

function debianComponent(p: DebianPackage, distro: string | undefined): Component {
  const purl = debianPurl(p, distro);
  return new Component(CDX.Enums.ComponentType.Library, p.name, { version: p.version, purl, bomRef: purl.toString() });
}

function overlayComponent(name: string, files: ImageFile[]): Component {
  const c = new Component(CDX.Enums.ComponentType.Data, name, { bomRef: `overlay:${name}`, description: `files copied into the image from the overlay ${name}` });
  for (const f of files) c.components.add(fileComponent(`overlay:${name}`, f));
  return c;
}

/** urn:uuid derived from the ISO's hash (RFC 4122 name-based layout): one SBOM per ISO, stable across reruns. */
function serialNumber(input: SbomInput): string {
  const h = createHash('sha256').update(`forensic-live sbom ${input.iso.sha256} ${input.buildId}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
