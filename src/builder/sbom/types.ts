// SPDX-License-Identifier: GPL-3.0-or-later
// What the SBOM says, as plain data: gathered from a build (collect.ts) or from test fixtures, then
// turned into CycloneDX by cyclonedx.ts.
import type { Component } from './components.js';

/** A file as it lands in the image: its absolute path there and its content hash. */
export interface ImageFile {
  path: string;
  sha256: string;
}

export interface DebianPackage {
  name: string;
  version: string;
  architecture: string;
}

export interface NpmPackage {
  name: string;
  version: string;
  license?: string;
}

export interface SbomInput {
  builder: { name: string; version: string };
  profile: { name: string; description?: string; suite: string; architecture: string };
  buildId: string;
  iso: { file: string; sha256: string; bytes: number };
  /** The SBOM's timestamp (SOURCE_DATE_EPOCH when set, so a reproducible build gives the same SBOM). */
  timestamp: Date;
  /** purl `distro` qualifier derived from the image's os-release (e.g. debian-12); absent when unknown. */
  distro?: string;
  packages: DebianPackage[];
  /** Files copied into the image from folders: the built-in self-test, then the profile's overlays, in order. */
  overlays: { name: string; files: ImageFile[] }[];
  /** Top-level components the registered features add (BuildFeature.sbom): the toolkit, injected kernel modules. */
  components: Component[];
}
