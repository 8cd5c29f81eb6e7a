// SPDX-License-Identifier: GPL-3.0-or-later
// The build's SBOM as CycloneDX 1.6 JSON, made with the CycloneDX library (pure: data in, text out).
//   metadata.component  the ISO (its sha256, the build id as version)
//   components          every Debian package (purl pkg:deb/debian/NAME@VERSION?arch=..&distro=..),
//                       the responder toolkit with the npm packages bundled into it, each overlay
//                       with its files (path in the image + sha256), injected kernel modules
//   dependencies        ISO -> each top-level component, toolkit -> its npm packages
// Every bom-ref is derived from the content, and lists are sorted, so equal inputs give equal text.
import { createHash } from 'node:crypto';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import type { InjectedModule } from '../kernel/records.js';
import type { DebianPackage, ImageFile, NpmPackage, SbomInput } from './types.js';

const { Component, Property } = CDX.Models;
type Component = CDX.Models.Component;
const SHA256 = CDX.Enums.HashAlgorithm['SHA-256'];
const licenses = new CDX.Factories.LicenseFactory();

export function debianPurl(p: DebianPackage, distro?: string): PackageURL {
  return new PackageURL('deb', 'debian', p.name, p.version, { arch: p.architecture, ...(distro ? { distro } : {}) }, undefined);
}

export function npmPurl(p: NpmPackage): PackageURL {
  const scoped = /^(@[^/]+)\/(.+)$/.exec(p.name);
  return new PackageURL('npm', scoped ? scoped[1] : undefined, scoped ? scoped[2]! : p.name, p.version, undefined, undefined);
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

  const top: Component[] = [
    ...input.packages.map((p) => debianComponent(p, input.distro)),
    ...(input.toolkit ? [toolkitComponent(input.toolkit)] : []),
    ...input.overlays.map((o) => overlayComponent(o.name, o.files)),
    ...input.kernelModules.map(moduleComponent),
  ];
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

function toolkitComponent(t: NonNullable<SbomInput['toolkit']>): Component {
  const c = new Component(CDX.Enums.ComponentType.Application, t.name, {
    bomRef: `toolkit:${t.name}`,
    version: t.version,
    description: `forensic-live's ${t.name} toolkit: one file bundled by esbuild, run by the image's Node.js`,
  });
  c.hashes.set(SHA256, t.sha256);
  addProperties(c, { 'forensic-live:path': t.path });
  for (const p of t.packages) {
    const purl = npmPurl(p);
    const dep = new Component(CDX.Enums.ComponentType.Library, p.name, { version: p.version, purl, bomRef: purl.toString() });
    if (p.license) dep.licenses.add(licenses.makeFromString(p.license));
    c.components.add(dep);
    c.dependencies.add(dep.bomRef);
  }
  for (const f of t.files) c.components.add(fileComponent(`toolkit:${t.name}`, f));
  return c;
}

function overlayComponent(name: string, files: ImageFile[]): Component {
  const c = new Component(CDX.Enums.ComponentType.Data, name, { bomRef: `overlay:${name}`, description: `files copied into the image from the overlay ${name}` });
  for (const f of files) c.components.add(fileComponent(`overlay:${name}`, f));
  return c;
}

function fileComponent(parent: string, f: ImageFile): Component {
  const c = new Component(CDX.Enums.ComponentType.File, f.path, { bomRef: `${parent}:${f.path}` });
  c.hashes.set(SHA256, f.sha256);
  return c;
}

function moduleComponent(m: InjectedModule): Component {
  const c = new Component(CDX.Enums.ComponentType.DeviceDriver, m.name, {
    bomRef: `kernel-module:${m.kernelVersion}:${m.file}`,
    version: m.source.version,
    description: `kernel module injected for ${m.kernelVersion}`,
  });
  c.hashes.set(SHA256, m.sha256);
  addProperties(c, {
    'forensic-live:path': m.file,
    'forensic-live:kernel-version': m.kernelVersion,
    'forensic-live:source-kind': m.source.kind,
    'forensic-live:source-package': m.source.package,
    'forensic-live:source-version': m.source.version,
    'forensic-live:source-path': m.source.path,
    'forensic-live:signed': String(m.signed),
  });
  return c;
}

function addProperties(c: Component, props: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(props)) if (v !== undefined && v !== '') c.properties.add(new Property(k, v));
}

/** urn:uuid derived from the ISO's hash (RFC 4122 name-based layout): one SBOM per ISO, stable across reruns. */
function serialNumber(input: SbomInput): string {
  const h = createHash('sha256').update(`forensic-live sbom ${input.iso.sha256} ${input.buildId}`).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
