// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { parseDepends, sha256FromRelease } from '../../src/builder/archive/signed-index.js';
import { estimateInstall, type PackageInfo } from '../../src/builder/doctor/archive.js';

describe('doctor: archive index', () => {
  it('parses Depends with alternatives, versions, arch qualifiers and folded lines', () => {
    expect(parseDepends('libc6 (>= 2.34), debconf (>= 0.5) | debconf-2.0, perl:any')).toEqual([['libc6'], ['debconf', 'debconf-2.0'], ['perl']]);
    expect(parseDepends(['a (= 1),', 'b'])).toEqual([['a'], ['b']]);
    expect(parseDepends(undefined)).toEqual([]);
  });

  it('finds an index file hash in the SHA256 section of a Release file only', () => {
    const release = `Origin: Debian\nMD5Sum:\n 0123 10 main/binary-amd64/Packages.xz\nSHA256:\n aaaa 5 main/binary-all/Packages.xz\n bbbb 9 main/binary-amd64/Packages.xz\n`;
    expect(sha256FromRelease(release, 'main/binary-amd64/Packages.xz')).toBe('bbbb');
    expect(sha256FromRelease(release, 'contrib/binary-amd64/Packages.xz')).toBeUndefined();
  });

  it('adds up the dependency closure of essential packages, apt and the profile packages once each', () => {
    const pkg = (installedKiB: number, depends: string[][] = [], extra: Partial<PackageInfo> = {}): PackageInfo => ({
      installedKiB,
      priority: 'optional',
      essential: false,
      depends,
      provides: [],
      ...extra,
    });
    const index = new Map<string, PackageInfo>([
      ['base-files', pkg(100, [], { essential: true, priority: 'required' })],
      ['apt', pkg(50, [['libc6']])],
      ['libc6', pkg(1000)],
      ['nodejs', pkg(200, [['libc6'], ['mail-transport-agent']])],
      ['exim4', pkg(300, [], { provides: ['mail-transport-agent'] })],
      ['unused', pkg(9999)],
    ]);
    const est = estimateInstall(index, 'minbase', ['nodejs=18.20.4', 'no-such-package']);
    expect(est.packages).toBe(5); // base-files apt libc6 nodejs exim4 (through the virtual package)
    expect(est.installedKiB).toBe(100 + 50 + 1000 + 200 + 300);
    expect(est.unknown).toEqual(['no-such-package']);
  });
});
