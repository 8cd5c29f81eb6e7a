// SPDX-License-Identifier: GPL-3.0-or-later
// The kernel feature's part of the SBOM: one device-driver component per injected module, with its
// path in the image, its hash, where it came from and whether it is signed.
import { addProperties, Component, ComponentType, SHA256 } from '../sbom/components.js';
import type { InjectedModule } from './records.js';

export function moduleComponent(m: InjectedModule): Component {
  const c = new Component(ComponentType.DeviceDriver, m.name, {
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
