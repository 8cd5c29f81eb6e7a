// SPDX-License-Identifier: GPL-3.0-or-later
// The SBOM from fixture data: valid CycloneDX 1.6 (the library's strict JSON schema validator,
// offline), with the ISO as root, Debian purls, the toolkit's npm packages, overlay files and
// injected kernel modules, and the same text for the same input.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { describe, expect, it } from 'vitest';
import { buildSbom } from '../../src/builder/sbom/cyclonedx.js';
import { debianDistro, parsePackages, sbomTime } from '../../src/builder/sbom/collect.js';
import type { SbomInput } from '../../src/builder/sbom/types.js';
import { moduleComponent } from '../../src/builder/kernel/sbom.js';
import { toolkitComponent } from '../../src/builder/toolkit/sbom.js';

const H = (c: string) => c.repeat(64);

async function validateCycloneDx(json: string): Promise<unknown> {
  return new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(json);
}

const input: SbomInput = {
  builder: { name: 'build-live', version: '0.1.0' },
  profile: { name: 'forensic', description: 'Forensic live system', suite: 'bookworm', architecture: 'amd64' },
  buildId: '0123456789abcdef',
  iso: { file: 'forensic.iso', sha256: H('a'), bytes: 300_000_000 },
  timestamp: new Date('2026-01-02T03:04:05Z'),
  distro: 'debian-12',
  packages: parsePackages('coreutils\t9.1-1\tamd64\nlive-boot\t1:20230131+deb12u1\tall\n'),
  overlays: [{ name: 'forensic', files: [{ path: '/etc/lvm/lvm.conf', sha256: H('d') }] }],
  // What the toolkit and kernel features add (BuildFeature.sbom).
  components: [
    toolkitComponent({
      name: 'responder',
      version: '0.1.0',
      sha256: H('b'),
      path: '/usr/lib/forensic-live/responder.mjs',
      packages: [
        { name: 'tar-stream', version: '3.2.2', license: 'MIT' },
        { name: '@scope/thing', version: '1.0.0' },
      ],
      files: [{ path: '/usr/local/bin/responder', sha256: H('c') }],
    }),
    moduleComponent({
      name: 'evdrv',
      source: { kind: 'package', package: 'evdrv-dkms', version: '2.0-1' },
      kernelVersion: '6.1.0-57-amd64',
      file: '/lib/modules/6.1.0-57-amd64/updates/evdrv.ko',
      sha256: H('e'),
      signed: false,
    }),
  ],
};

type Bom = {
  specVersion: string;
  metadata: { component: { name: string; version: string; hashes: { alg: string; content: string }[]; properties: { name: string; value: string }[] } };
  components: {
    type: string;
    name: string;
    version?: string;
    purl?: string;
    hashes?: { content: string }[];
    components?: { name: string; purl?: string; hashes?: { content: string }[] }[];
    properties?: { name: string; value: string }[];
  }[];
  dependencies: { ref: string; dependsOn?: string[] }[];
};

describe('CycloneDX SBOM', () => {
  const text = buildSbom(input);
  const bom = JSON.parse(text) as Bom;

  it('validates against the CycloneDX 1.6 JSON schema (strict), offline', async () => {
    expect(bom.specVersion).toBe('1.6');
    expect(await validateCycloneDx(text)).toBeNull();
  });

  it('the validator rejects a broken document (the check can fail)', async () => {
    const broken = JSON.parse(text) as Bom;
    broken.metadata.component.hashes[0]!.content = 'not-a-sha256';
    expect(await validateCycloneDx(JSON.stringify(broken))).not.toBeNull();
  });

  it('has the ISO as root component: its sha256 and the build id', () => {
    const root = bom.metadata.component;
    expect(root.name).toBe('forensic.iso');
    expect(root.version).toBe('0123456789abcdef');
    expect(root.hashes).toEqual([{ alg: 'SHA-256', content: H('a') }]);
    expect(root.properties).toContainEqual({ name: 'forensic-live:build-id', value: '0123456789abcdef' });
  });

  it('lists every Debian package with a deb purl (arch and distro qualifiers, epoch kept)', () => {
    const purls = bom.components.filter((c) => c.purl?.startsWith('pkg:deb/')).map((c) => c.purl);
    expect(purls).toEqual(['pkg:deb/debian/coreutils@9.1-1?arch=amd64&distro=debian-12', 'pkg:deb/debian/live-boot@1:20230131+deb12u1?arch=all&distro=debian-12']);
  });

  it('lists the toolkit with the npm packages bundled into it, overlays by file and the kernel modules', () => {
    const toolkit = bom.components.find((c) => c.name === 'responder')!;
    expect(toolkit.hashes![0]!.content).toBe(H('b'));
    expect(
      toolkit
        .components!.map((c) => c.purl)
        .filter(Boolean)
        .sort(),
    ).toEqual(['pkg:npm/%40scope/thing@1.0.0', 'pkg:npm/tar-stream@3.2.2']);
    expect(toolkit.components!.find((c) => c.name === '/usr/local/bin/responder')!.hashes![0]!.content).toBe(H('c'));
    const overlay = bom.components.find((c) => c.name === 'forensic' && c.type === 'data')!;
    expect(overlay.components).toEqual([expect.objectContaining({ name: '/etc/lvm/lvm.conf', hashes: [{ alg: 'SHA-256', content: H('d') }] })]);
    const mod = bom.components.find((c) => c.type === 'device-driver')!;
    expect(mod.name).toBe('evdrv');
    expect(mod.hashes![0]!.content).toBe(H('e'));
    expect(mod.properties).toEqual(
      expect.arrayContaining([
        { name: 'forensic-live:source-package', value: 'evdrv-dkms' },
        { name: 'forensic-live:signed', value: 'false' },
      ]),
    );
  });

  it('records dependencies: the ISO on every top-level component, the toolkit on its npm packages', () => {
    const deps = new Map(bom.dependencies.map((d) => [d.ref, d.dependsOn ?? []]));
    expect(deps.get('iso:forensic.iso')).toHaveLength(bom.components.length);
    expect(deps.get('toolkit:responder')).toEqual(expect.arrayContaining(['pkg:npm/tar-stream@3.2.2']));
  });

  it('gives the same text for the same input (bom-refs and serial number derived, lists sorted)', () => {
    expect(buildSbom(input)).toBe(text);
  });
});

describe('SBOM inputs', () => {
  it('derives the purl distro from os-release: debian-VERSION_ID, else the codename, else nothing', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'fl-osr-'));
    mkdirSync(path.join(root, 'usr/lib'), { recursive: true });
    writeFileSync(path.join(root, 'usr/lib/os-release'), 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n');
    expect(await debianDistro(root)).toBe('debian-12');
    writeFileSync(path.join(root, 'usr/lib/os-release'), 'ID=debian\nVERSION_CODENAME=trixie\n');
    expect(await debianDistro(root)).toBe('trixie');
    writeFileSync(path.join(root, 'usr/lib/os-release'), 'ID=ubuntu\nVERSION_ID="24.04"\n');
    expect(await debianDistro(root)).toBeUndefined();
    expect(await debianDistro(path.join(root, 'nowhere'))).toBeUndefined();
  });

  it('parses the packages manifest and refuses a malformed line', () => {
    expect(parsePackages('a\t1\tamd64\n')).toEqual([{ name: 'a', version: '1', architecture: 'amd64' }]);
    expect(() => parsePackages('a 1 amd64\n')).toThrow(/malformed/);
  });

  it('takes the timestamp from SOURCE_DATE_EPOCH when set', () => {
    const started = new Date('2026-05-05T00:00:00Z');
    expect(sbomTime(started, { SOURCE_DATE_EPOCH: '1700000000' }).toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(sbomTime(started, {})).toBe(started);
  });
});
