// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { mmdebstrapArgv, sourceLines, ARCHIVE_KEYRING, bootstrapHookDirs } from '../../src/builder/stages/bootstrap-argv.js';
import { EATMYDATA_HOOK_DIR, MERGED_USR_HOOK_DIR } from '../../src/builder/paths.js';
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
    // Module trees for hardware a live system does not drive; storage, filesystems and network stay.
    expect(slim).toContain('--dpkgopt=path-exclude=/lib/modules/*/kernel/sound/*');
    expect(slim).toContain('--dpkgopt=path-exclude=/lib/modules/*/kernel/drivers/media/*');
    // Radios: nothing in any profile drives them, and a forensic system must not transmit.
    expect(slim).toContain('--dpkgopt=path-exclude=/lib/modules/*/kernel/drivers/net/wireless/*');
    expect(slim).toContain('--dpkgopt=path-exclude=/lib/modules/*/kernel/net/bluetooth/*');
    // Wired network (USB adapters too) stays: no rule names it or a folder above it.
    expect(slim).not.toContain('--dpkgopt=path-exclude=/lib/modules/*/kernel/drivers/net/*');
    expect(slim.join(' ')).not.toMatch(/kernel\/(fs|drivers\/(scsi|ata|nvme|usb|net\/(ethernet|usb)|block|md|input|hid|virtio))\//);
  });

  it('puts suite, target and mirrors last, in that order', () => {
    const argv = mmdebstrapArgv(sampleProfile(), '/t/root', '/c/debs');
    const i = argv.indexOf('bookworm');
    expect(argv[i + 1]).toBe('/t/root');
    expect(argv[i + 2]).toMatch(/^deb http/);
  });

  it('is verbose (the phase timings read dpkg lines) and adds hook dirs before its own hooks', () => {
    const argv = mmdebstrapArgv(sampleProfile(), '/t/root', '/c/debs', ['/h/one', '/h/two']);
    expect(argv[1]).toBe('--verbose');
    const hooks = argv.filter((a) => a.startsWith('--hook-dir='));
    expect(hooks).toEqual(['--hook-dir=/h/one', '--hook-dir=/h/two']);
    expect(argv.indexOf(hooks[1]!)).toBeLessThan(argv.findIndex((a) => a.startsWith('--customize-hook=')));
    expect(mmdebstrapArgv(sampleProfile(), '/t/root', '/c/debs').some((a) => a.startsWith('--hook-dir='))).toBe(false);
  });

  it('runs dpkg under eatmydata first, lays out merged /usr itself, then the initramfs-once hook shipped with the repository', () => {
    const repo = path.resolve(__dirname, '../..');
    const dirs = bootstrapHookDirs(repo);
    expect(dirs[0]).toBe(EATMYDATA_HOOK_DIR);
    expect(dirs[1]).toBe(MERGED_USR_HOOK_DIR); // usr-is-merged, not usrmerge and its perl
    // Deferred (the initramfs stage makes it): the same diversion, no generation at the end.
    const deferred = bootstrapHookDirs(repo, true);
    expect(deferred.slice(0, 2)).toEqual(dirs.slice(0, 2));
    expect(path.basename(dirs[2]!)).toBe('initramfs-once');
    expect(path.basename(deferred[2]!)).toBe('initramfs-deferred');
    for (const dir of [dirs[2]!, deferred[2]!]) {
      for (const name of ['essential.sh', 'customize.sh']) {
        const file = path.join(dir, name);
        expect(existsSync(file)).toBe(true);
        expect(statSync(file).mode & 0o111).toBe(0o111); // mmdebstrap runs only executable hooks
      }
    }
    expect(readFileSync(path.join(dirs[2]!, 'customize.sh'), 'utf8')).toMatch(/update-initramfs -c/);
    expect(readFileSync(path.join(deferred[2]!, 'customize.sh'), 'utf8')).not.toMatch(/update-initramfs -/);
  });
});
