// SPDX-License-Identifier: GPL-3.0-or-later
// Defaults apply after merging, only where no file of the chain set a value.
import { describe, expect, it } from 'vitest';
import { tempRepo } from './profile-fixture.js';

describe('profile defaults', () => {
  it('fills every key of an almost empty profile', async () => {
    const p = await tempRepo({ 'profiles/empty.yaml': 'description: nothing else\n' }).load('empty');
    expect(p.description).toBe('nothing else');
    expect(p.distribution).toEqual({
      suite: 'bookworm',
      architecture: 'amd64',
      mirror: 'http://deb.debian.org/debian',
      security_mirror: 'http://deb.debian.org/debian-security',
      updates: true,
      components: ['main'],
      variant: 'minbase',
      snapshot: null,
    });
    expect(p.packages).toEqual(['linux-image-amd64']); // kernel.package's default
    expect(p.slim).toBe(false);
    expect(p.image).toEqual({ hostname: 'debian-live', locale: 'C.UTF-8', timezone: 'Etc/UTC', user: { name: 'user', autologin: true, groups: [] } });
    expect(p.overlays).toEqual([]);
    expect(p.hooks).toEqual([]);
    expect(p.squashfs).toEqual({ compression: 'zstd', level: 15, block_size: '1M' });
    expect(p.boot).toEqual({
      firmware: ['bios', 'uefi'],
      volume_label: 'DEBIAN_LIVE',
      timeout: 5,
      default: 'live',
      kernel_options: ['boot=live', 'components'],
      entries: [{ id: 'live', label: 'Live system', options: [] }],
      serial_console: { enabled: true, port: 0, speed: 115200 },
      secure_boot: false,
    });
    expect(p.reproducible).toEqual({ source_date_epoch: 'archive' });
    expect(p).not.toHaveProperty('extends');
  });

  it('picks the compression level default from the compression', async () => {
    const repo = tempRepo({
      'profiles/gzip.yaml': 'squashfs:\n  compression: gzip\n',
      'profiles/xz.yaml': 'squashfs:\n  compression: xz\n',
    });
    expect((await repo.load('gzip')).squashfs.level).toBe(9);
    expect((await repo.load('xz')).squashfs.level).toBeNull();
  });

  it('keeps null where null is meaningful', async () => {
    const p = await tempRepo({ 'profiles/p.yaml': 'distribution:\n  security_mirror: null\n' }).load('p');
    expect(p.distribution.security_mirror).toBeNull();
  });

  it('a snapshot replaces both mirrors with snapshot.debian.org at that time', async () => {
    const p = await tempRepo({ 'profiles/p.yaml': 'distribution:\n  snapshot: 20261128T000000Z\n' }).load('p');
    expect(p.distribution.mirror).toBe('http://snapshot.debian.org/archive/debian/20261128T000000Z');
    expect(p.distribution.security_mirror).toBe('http://snapshot.debian.org/archive/debian-security/20261128T000000Z');
    expect(p.reference.suites.map((s) => s.mirror)).toEqual([p.distribution.mirror, p.distribution.mirror, p.distribution.security_mirror]);
  });

  it('does not let a default override what a parent set', async () => {
    const repo = tempRepo({
      'profiles/parent.yaml': 'distribution:\n  components: [main, contrib]\nboot:\n  timeout: 0\n',
      'profiles/child.yaml': 'extends: parent\nboot:\n  volume_label: CHILD\n',
    });
    const p = await repo.load('child');
    expect(p.distribution.components).toEqual(['main', 'contrib']);
    expect(p.boot.timeout).toBe(0);
    expect(p.boot.volume_label).toBe('CHILD');
  });

  it('omits description when no file has one', async () => {
    const p = await tempRepo({ 'profiles/p.yaml': 'slim: true\n' }).load('p');
    expect(p).not.toHaveProperty('description');
    expect(p.name).toBe('p');
  });
});
