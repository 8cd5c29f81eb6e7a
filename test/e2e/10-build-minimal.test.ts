// SPDX-License-Identifier: GPL-3.0-or-later
// Builds the `minimal` profile for real (mmdebstrap from Debian's archive) and checks what a user
// gets in --out: the ISO's hybrid layout, its checksums, the package manifest and build record.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, truncateSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProfile, type BuildOutcome } from '../helpers/e2e.js';
import { initrdNames } from '../helpers/initrd.js';
import { ensureBundle, runResponder } from '../helpers/responder-run.js';
import { HEAD_BYTES, isoExtent } from '../../src/responder/medium/iso-length.js';
import { hashIsoOn } from '../../src/responder/medium/medium.js';

const sh = (file: string, args: string[], cwd?: string) => execFileSync(file, args, { encoding: 'utf8', cwd, stdio: ['ignore', 'pipe', 'pipe'] });

/** Copy one file out of the ISO (xorriso's osirrox extraction; nothing is mounted); returns its path. */
function isoExtract(iso: string, inside: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fl-iso-'));
  sh('xorriso', ['-osirrox', 'on', '-indev', iso, '-extract', inside, path.join(dir, 'f')]);
  return path.join(dir, 'f');
}
const isoCat = (iso: string, inside: string): string => readFileSync(isoExtract(iso, inside), 'utf8');

let build: BuildOutcome;
beforeAll(async () => {
  build = await buildProfile('minimal');
});

describe('build-live --profile minimal', () => {
  it('writes the ISO, SHA256SUMS that sha256sum -c accepts, the manifest and the build record', () => {
    expect(sh('sha256sum', ['-c', 'SHA256SUMS'], build.outDir)).toContain('minimal.iso: OK');
    expect(build.buildJson.iso.sha256).toBe(sh('sha256sum', [build.iso]).split(' ')[0]);
    expect(build.buildJson.stages.map((s) => s.stage)).toEqual([
      'bootstrap',
      'configure',
      'toolkit',
      'overlay',
      'kernel-modules',
      'reference',
      'initramfs',
      'squashfs',
      'signed-boot',
      'bootloader',
      'iso',
      'outputs',
    ]);
    for (const s of build.buildJson.stages) expect(['hit', 'miss', 'none']).toContain(s.cache);
    expect(build.buildJson.tools.mmdebstrap).toMatch(/^mmdebstrap \d/);
    expect(build.buildJson.resolvedProfile).toMatchObject({ name: 'minimal' });
  });

  it('lists every installed package with version and architecture, without what minimal removes', () => {
    const lines = readFileSync(path.join(build.outDir, 'minimal.packages'), 'utf8').trim().split('\n');
    const names = lines.map((l) => l.split('\t')[0]);
    for (const pkg of ['linux-image-amd64', 'live-boot', 'systemd-sysv', 'nodejs']) expect(names).toContain(pkg);
    expect(names).not.toContain('nano');
    for (const l of lines) expect(l).toMatch(/^[a-z0-9][a-z0-9+.-]+\t\S+\t(amd64|all)$/);
  });

  it('lays out a live-boot medium with two stacked layers', () => {
    const ls = sh('xorriso', ['-indev', build.iso, '-find', '/live', '-type', 'f']);
    for (const f of ['10-base.squashfs', '20-upper.squashfs', 'filesystem.module', 'vmlinuz', 'initrd.img']) expect(ls).toContain(`/live/${f}`);
    const module = isoCat(build.iso, '/live/filesystem.module');
    expect(module.trim().split('\n')).toEqual(['10-base.squashfs', '20-upper.squashfs']);
  });

  it('boots from an initramfs that finds and mounts the medium, without network, GPU or radio drivers', () => {
    const ko = initrdNames(isoExtract(build.iso, '/live/initrd.img'))
      .filter((n) => n.endsWith('.ko'))
      .map((n) => n.replace(/^(usr\/)?lib\/modules\/[^/]+\/kernel\//, ''));
    // CD, USB stick, SATA/NVMe, virtio (the test boots), then the layers.
    for (const m of [
      'drivers/scsi/sr_mod.ko',
      'drivers/usb/storage/usb-storage.ko',
      'drivers/usb/storage/uas.ko',
      'drivers/ata/ahci.ko',
      'drivers/nvme/host/nvme.ko',
      'drivers/block/virtio_blk.ko',
      'fs/isofs/isofs.ko',
      'fs/squashfs/squashfs.ko',
      'fs/overlayfs/overlay.ko',
    ]) {
      expect(ko).toContain(m);
    }
    // No network boot (live-boot's net class is cut), no early-KMS splash (its kms hook is diverted), no radios (slim).
    for (const m of ['drivers/net/ethernet/intel/e1000/e1000.ko', 'drivers/net/virtio_net.ko', 'drivers/gpu/drm/i915/i915.ko']) expect(ko).not.toContain(m);
    expect(ko.filter((m) => /^(drivers\/net\/wireless|net\/(wireless|mac80211|bluetooth))\//.test(m))).toEqual([]);
    expect(ko.length).toBeGreaterThan(300); // every storage class of MODULES=most is still there
  });

  it('is hybrid: El Torito entries for BIOS and UEFI, an MBR boot for USB and an EFI system partition', () => {
    const report = sh('xorriso', ['-indev', build.iso, '-report_el_torito', 'plain', '-report_system_area', 'plain']);
    expect(report).toMatch(/El Torito boot img :\s+1\s+BIOS/);
    expect(report).toMatch(/El Torito boot img :\s+2\s+UEFI/);
    expect(report).toMatch(/System area summary: .*grub2-mbr.*GPT/);
    // GPT partition 2 is the EFI System Partition (C12A7328-F81F-11D2-BA4B-00A0C93EC93B, stored mixed-endian).
    expect(report).toMatch(/GPT type GUID\s*:\s*2\s+28732ac11ff8d211ba4b00a0c93ec93b/);
    // The ISO 9660 tree starts at partition 1 (offset 16), so it mounts from the stick's first partition too.
    expect(report).toMatch(/Partition offset\s*:\s*16/);
  });

  it('gives BIOS and UEFI one and the same menu, generated from the profile', () => {
    const cfg = isoCat(build.iso, '/boot/grub/grub.cfg');
    const entries = build.buildJson.bootMenu;
    expect(entries.map((e) => e.id)).toEqual(['live', 'serial']);
    for (const e of entries) expect(cfg).toContain(`\tlinux /live/vmlinuz ${e.options.join(' ')}\n`);
    // Both GRUB images find the menu through the same build marker.
    expect(sh('xorriso', ['-indev', build.iso, '-find', '/.disk', '-type', 'f'])).toContain(`/.disk/forensic-live-${build.buildJson.buildId}`);
  });

  it('writes a CycloneDX SBOM that validates, with the ISO as root and every package by purl', async () => {
    const text = readFileSync(path.join(build.outDir, 'minimal.cdx.json'), 'utf8');
    expect(await new CDX.Validation.JsonStrictValidator(CDX.Spec.Version.v1dot6).validate(text)).toBeNull();
    const bom = JSON.parse(text) as { metadata: { component: { name: string; version: string; hashes: { content: string }[] } }; components: { name: string; version?: string; purl?: string }[] };
    expect(bom.metadata.component).toMatchObject({ name: 'minimal.iso', version: build.buildJson.buildId, hashes: [{ content: build.buildJson.iso.sha256 }] });
    const manifest = readFileSync(path.join(build.outDir, 'minimal.packages'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    // Parsed back, each purl is type deb, namespace debian, the manifest's name and version, arch and distro qualifiers.
    const parsed = bom.components.filter((c) => c.purl?.startsWith('pkg:deb/')).map((c) => PackageURL.fromString(c.purl!));
    const seen = new Set(parsed.map((p) => `${p.namespace}/${p.name}\t${p.version}\t${p.qualifiers?.arch}\t${p.qualifiers?.distro}`));
    expect(parsed).toHaveLength(manifest.length);
    for (const [name, version, arch] of manifest) expect(seen).toContain(`debian/${name}\t${version}\t${arch}\tdebian-12`);
    const nodejs = bom.components.find((c) => c.name === 'nodejs')!;
    expect(nodejs.purl).toBe(`pkg:deb/debian/nodejs@${nodejs.version}?arch=amd64&distro=debian-12`);
    expect(bom.components.find((c) => c.name === 'libstdc++6')?.purl).toMatch(/^pkg:deb\/debian\/libstdc%2B%2B6@12\.[^?]+\?arch=amd64&distro=debian-12$/);
    expect(sh('sha256sum', ['-c', 'SHA256SUMS'], build.outDir)).toContain('minimal.cdx.json: OK');
  });

  it('says how long it is: the hash of exactly that length is its SHA256SUMS line, on the ISO and on a bigger stick', async () => {
    const want = /^([0-9a-f]{64})  minimal\.iso$/m.exec(readFileSync(path.join(build.outDir, 'SHA256SUMS'), 'utf8'))![1];
    const size = statSync(build.iso).size;
    expect(await hashIsoOn(build.iso)).toMatchObject({ isoBytes: size, lengthFrom: 'iso9660', sha256: want });
    // The superblock of GPT partition 1 (what a stick's /dev/sdX1 shows) counts only the file system:
    // the length must come from the whole medium.
    const fd = openSync(build.iso, 'r');
    const partitionHead = Buffer.alloc(HEAD_BYTES);
    readSync(fd, partitionHead, 0, HEAD_BYTES, 32768);
    closeSync(fd);
    expect(isoExtent(partitionHead).bytes).toBeLessThan(size);
    // A USB stick is bigger than the ISO, with other bytes after it.
    const stick = path.join(mkdtempSync(path.join(tmpdir(), 'fl-stick-')), 'stick.img');
    try {
      sh('cp', ['--sparse=always', build.iso, stick]);
      truncateSync(stick, size + 64 * 2 ** 20);
      const w = openSync(stick, 'r+');
      writeSync(w, randomBytes(2 ** 20), 0, 2 ** 20, size + 4096);
      closeSync(w);
      ensureBundle();
      const r = await runResponder(['medium', '--device', stick, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout.toString())).toMatchObject({ isoBytes: size, sha256: want, volumeId: 'MINIMAL_LIVE' });
    } finally {
      rmSync(path.dirname(stick), { recursive: true, force: true });
    }
  });
});
