// SPDX-License-Identifier: GPL-3.0-or-later
// Building blocks for SBOM components, shared by the core (cyclonedx.ts) and by the features that
// add components of their own (BuildFeature.sbom: the toolkit, injected kernel modules).
import * as CDX from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import type { ImageFile, NpmPackage } from './types.js';

export const { Component, Property } = CDX.Models;
export type Component = CDX.Models.Component;
export const ComponentType = CDX.Enums.ComponentType;
export const SHA256 = CDX.Enums.HashAlgorithm['SHA-256'];
export const licenses = new CDX.Factories.LicenseFactory();

export function npmPurl(p: NpmPackage): PackageURL {
  const scoped = /^(@[^/]+)\/(.+)$/.exec(p.name);
  return new PackageURL('npm', scoped ? scoped[1] : undefined, scoped ? scoped[2]! : p.name, p.version, undefined, undefined);
}

/** A file as it lands in the image, under its parent's bom-ref. */
export function fileComponent(parent: string, f: ImageFile): Component {
  const c = new Component(ComponentType.File, f.path, { bomRef: `${parent}:${f.path}` });
  c.hashes.set(SHA256, f.sha256);
  return c;
}

/** forensic-live:* properties; empty and undefined values are left out. */
export function addProperties(c: Component, props: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(props)) if (v !== undefined && v !== '') c.properties.add(new Property(k, v));
}
