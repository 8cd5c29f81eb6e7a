// SPDX-License-Identifier: GPL-3.0-or-later
// The `kernel:` section: defaults, merging across extends, paths relative to the file that names
// them, the kernel package joined to `packages`, and the checks on it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempRepo, yaml } from './profile-fixture.js';
import { manifestLines } from '../../src/builder/kernel/records.js';

const KBUILD = { 'profiles/kmod/hello/Makefile': 'obj-m := hello.o\n', 'profiles/kmod/hello/hello.c': '' };

describe('kernel section', () => {
  it('defaults to linux-image-amd64, no modules, no signing; the kernel joins packages once', async () => {
    const repo = tempRepo({ 'profiles/p.yaml': 'packages: [nodejs]\n', 'profiles/q.yaml': 'packages: [linux-image-amd64, nodejs]\n' });
    const p = await repo.load('p');
    expect(p.kernel).toEqual({ package: 'linux-image-amd64', dkms: [], sources: [], prebuilt: [], load: [], blacklist: [], initramfs: [], signing: null });
    expect(p.packages).toEqual(['nodejs', 'linux-image-amd64']);
    expect((await repo.load('q')).packages).toEqual(['linux-image-amd64', 'nodejs']);
  });

  it('merges lists across extends and resolves paths against the file that names them', async () => {
    const repo = tempRepo({
      ...KBUILD,
      'profiles/keys/k.pem': 'key',
      'profiles/keys/c.pem': 'cert',
      'profiles/parent.yaml': yaml`
        kernel:
          package: linux-image-rt-amd64
          dkms: [apfs-dkms]
          sources: [kmod/hello]
          load: [apfs]
          signing: { key: keys/k.pem, certificate: keys/c.pem }
      `,
      'profiles/sub/child.yaml': yaml`
        extends: ../parent.yaml
        kernel:
          dkms: [lime-forensics-dkms]
          load: [{ remove: apfs }, hello]
          blacklist: [pcspkr]
      `,
    });
    const p = await repo.load(path.join(repo.root, 'profiles/sub/child.yaml'));
    expect(p.kernel.package).toBe('linux-image-rt-amd64');
    expect(p.packages).toContain('linux-image-rt-amd64');
    expect(p.kernel.dkms).toEqual(['apfs-dkms', 'lime-forensics-dkms']);
    expect(p.kernel.sources).toEqual([{ source: 'kmod/hello', path: path.join(repo.root, 'profiles/kmod/hello') }]);
    expect(p.kernel.load).toEqual(['hello']);
    expect(p.kernel.blacklist).toEqual(['pcspkr']);
    expect(p.kernel.signing?.key).toEqual({ source: 'keys/k.pem', path: path.join(repo.root, 'profiles/keys/k.pem') });
  });

  it('reports missing folders, files without Kbuild, non-.ko prebuilt files and missing keys, with positions', async () => {
    const repo = tempRepo({
      'profiles/empty/README': '',
      'profiles/bad.yaml': yaml`
        kernel:
          sources: [kmd/hello, empty]
          prebuilt: [foo.ko.xz, missing.ko]
          signing: { key: nokey.pem, certificate: nocert.pem }
      `,
    });
    const problems = await repo.problems('bad');
    expect(problems).toEqual([
      expect.stringMatching(/bad\.yaml:2:13: kernel\.sources\[0\]: module source folder .*kmd\/hello does not exist/),
      expect.stringMatching(/bad\.yaml:2:24: kernel\.sources\[1\]: module source folder .*empty has no Kbuild or Makefile/),
      expect.stringMatching(/bad\.yaml:3:14: kernel\.prebuilt\[0\]: prebuilt module .*foo\.ko\.xz must be a \.ko file/),
      expect.stringMatching(/bad\.yaml:3:25: kernel\.prebuilt\[1\]: prebuilt module .*missing\.ko does not exist/),
      expect.stringMatching(/bad\.yaml:4:19: kernel\.signing\.key: signing key .*nokey\.pem does not exist/),
      expect.stringMatching(/bad\.yaml:4:43: kernel\.signing\.certificate: signing certificate .*nocert\.pem does not exist/),
    ]);
  });

  it('refuses a second kernel in packages, a module both loaded and blacklisted, and bad names', async () => {
    const repo = tempRepo({
      'profiles/two.yaml': yaml`
        packages: [linux-image-cloud-amd64]
        kernel:
          load: [apfs]
          blacklist: [apfs, "bad name"]
      `,
    });
    const problems = await repo.problems('two');
    expect(problems.join('\n')).toContain('kernel.blacklist[1]: must be a kernel module name');
    repo.write({ 'profiles/two.yaml': 'packages: [linux-image-cloud-amd64]\nkernel:\n  load: [apfs]\n  blacklist: [apfs]\n' });
    const merged = await repo.problems('two');
    expect(merged).toEqual([
      expect.stringContaining("two.yaml:1:12: packages[0]: 'linux-image-cloud-amd64' is a second kernel (kernel.package is 'linux-image-amd64'): set kernel.package: linux-image-cloud-amd64 instead"),
      expect.stringContaining("two.yaml:3:10: kernel.load[0]: module 'apfs' is also in kernel.blacklist"),
    ]);
  });
});

describe('manifestLines', () => {
  it('writes one tab-separated line per module after the packages', () => {
    const lines = manifestLines(
      [
        { name: 'apfs', source: { kind: 'package', package: 'apfs-dkms', version: '0.3.0-1' }, kernelVersion: 'K', file: '/lib/modules/K/updates/apfs.ko', sha256: 'ab', signed: false },
        { name: 'x', source: { kind: 'folder', path: 'kmod/x' }, kernelVersion: 'K', file: '/lib/modules/K/updates/x.ko', sha256: 'cd', signed: true },
      ],
      'amd64',
    );
    expect(lines).toBe(
      'kernel-module:apfs\tK\tamd64\tpackage:apfs-dkms=0.3.0-1\tsha256=ab\tunsigned\t/lib/modules/K/updates/apfs.ko\nkernel-module:x\tK\tamd64\tfolder:kmod/x\tsha256=cd\tsigned\t/lib/modules/K/updates/x.ko\n',
    );
  });
});
