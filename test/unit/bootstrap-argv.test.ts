// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { mmdebstrapArgv, sourceLines, ARCHIVE_KEYRING } from '../../src/builder/stages/bootstrap-argv.js';
import { sampleProfile } from '../helpers/sample-profile.js';

describe('mmdebstrap command line', () => {
  it('uses the suite, -updates and -security with the profile components', () => {
    const p = sampleProfile();
    p.distribution.components = ['main', 'non-free-firmware'];
    expect(sourceLines(p)).toEqual([
      'deb http://deb.debian.org/debian bookworm main non-free-firmware',
      'deb http://deb.debian.org/debian bookworm-updates main non-free-firmware',
      'deb http://deb.debian.org/debian-security bookworm-security main non-free-firmware',
    ]);
  });

  it('drops -updates and -security when the profile turns them off', () => {
    const p = sampleProfile();
    p.distribution.updates = false;
    p.distribution.security_mirror = null as never;
    expect(sourceLines(p)).toEqual(['deb http://deb.debian.org/debian bookworm main']);
  });

  it('always verifies against the archive keyring and never weakens signature checks', () => {
    const argv = mmdebstrapArgv(sampleProfile(), '/t/root', '/c/debs');
    expect(argv).toContain(`--keyring=${ARCHIVE_KEYRING}`);
    expect(argv.join(' ')).not.toMatch(/AllowInsecure|allow-insecure|trusted=yes|check-valid-until|no-check-gpg|AllowUnauthenticated/i);
    expect(argv).toContain('--include=linux-image-amd64,live-boot,systemd-sysv');
    expect(argv).toContain('--variant=minbase');
  });

  it('adds the dpkg path-excludes only for slim profiles, keeping copyright files', () => {
    expect(mmdebstrapArgv(sampleProfile(), '/t', '/c').some((a) => a.startsWith('--dpkgopt='))).toBe(false);
    const slim = mmdebstrapArgv(sampleProfile({ slim: true } as never), '/t', '/c');
    expect(slim).toContain('--dpkgopt=path-exclude=/usr/share/doc/*');
    expect(slim).toContain('--dpkgopt=path-include=/usr/share/doc/*/copyright');
    expect(slim).toContain('--dpkgopt=path-exclude=/usr/share/man/*');
  });

  it('puts suite, target and mirrors last, in that order', () => {
    const argv = mmdebstrapArgv(sampleProfile(), '/t/root', '/c/debs');
    const i = argv.indexOf('bookworm');
    expect(argv[i + 1]).toBe('/t/root');
    expect(argv[i + 2]).toMatch(/^deb http/);
  });
});
