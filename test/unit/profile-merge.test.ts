// SPDX-License-Identifier: GPL-3.0-or-later
// Merge semantics of extends chains: append, de-duplicate, replace by key, remove.
import { describe, expect, it } from 'vitest';
import { tempRepo, yaml } from './profile-fixture.js';

const parent = yaml`
  packages: [aa, bb]
  distribution:
    suite: bookworm
    mirror: http://mirror.example/debian
  hooks:
    - name: first
      when: after-bootstrap
      command: [/bin/true]
    - name: second
      when: after-overlays
      command: [echo, parent]
  boot:
    kernel_options: [boot=live, quiet]
    entries:
      - id: live
        label: Parent live
      - id: rescue
        label: Parent rescue
        options: [single]
`;

describe('merging an extends chain', () => {
  it('appends list items and drops duplicates by value', async () => {
    const repo = tempRepo({ 'profiles/parent.yaml': parent, 'profiles/child.yaml': 'extends: parent\npackages: [bb, cc]\n' });
    const p = await repo.load('child');
    expect(p.packages).toEqual(['aa', 'bb', 'cc', 'linux-image-amd64']); // kernel.package joins the packages
    expect(p.boot.kernel_options).toEqual(['boot=live', 'quiet']);
  });

  it('merges objects key by key and lets child scalars override', async () => {
    const repo = tempRepo({ 'profiles/parent.yaml': parent, 'profiles/child.yaml': 'extends: parent\ndistribution:\n  suite: trixie\n' });
    const p = await repo.load('child');
    expect(p.distribution.suite).toBe('trixie');
    expect(p.distribution.mirror).toBe('http://mirror.example/debian');
  });

  it('replaces keyed items in place: boot entries by id, hooks by name', async () => {
    const child = yaml`
      extends: parent
      hooks:
        - name: first
          when: after-overlays
          command: [echo, child]
      boot:
        entries:
          - id: live
            label: Child live
          - id: extra
            label: Child extra
    `;
    const p = await tempRepo({ 'profiles/parent.yaml': parent, 'profiles/child.yaml': child }).load('child');
    expect(p.boot.entries.map((e) => [e.id, e.label])).toEqual([
      ['live', 'Child live'],
      ['rescue', 'Parent rescue'],
      ['extra', 'Child extra'],
    ]);
    expect(p.hooks.map((h) => [h.name, h.when, h.command])).toEqual([
      ['first', 'after-overlays', ['echo', 'child']],
      ['second', 'after-overlays', ['echo', 'parent']],
    ]);
  });

  it('removes inherited items by value, hook name and entry id', async () => {
    const child = yaml`
      extends: parent
      packages: [{ remove: aa }]
      hooks:
        - remove: second
      boot:
        kernel_options:
          - remove: quiet
        entries:
          - remove: rescue
    `;
    const p = await tempRepo({ 'profiles/parent.yaml': parent, 'profiles/child.yaml': child }).load('child');
    expect(p.packages).toEqual(['bb', 'linux-image-amd64']);
    expect(p.hooks.map((h) => h.name)).toEqual(['first']);
    expect(p.boot.kernel_options).toEqual(['boot=live']);
    expect(p.boot.entries.map((e) => e.id)).toEqual(['live']);
  });

  it('reports removing what no parent has, with a hint and the position', async () => {
    const repo = tempRepo({ 'profiles/parent.yaml': parent, 'profiles/child.yaml': 'extends: parent\nhooks:\n  - remove: secnd\n' });
    const problems = await repo.problems('child');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/child\.yaml:3:5: hooks\[0\]: cannot remove 'secnd': no parent profile has it in hooks \(did you mean 'second'\?\)$/);
  });

  it('reports remove in a profile without extends', async () => {
    const problems = await tempRepo({ 'profiles/solo.yaml': 'packages:\n  - remove: nano\n' }).problems('solo');
    expect(problems[0]).toMatch(/solo\.yaml:2:5: packages\[0\]: 'remove: nano' needs a parent profile/);
  });

  it('follows chains of several levels, child first in sourceFiles', async () => {
    const repo = tempRepo({
      'profiles/grand.yaml': 'packages: [aa]\nimage:\n  hostname: grand\n',
      'profiles/parent.yaml': 'extends: grand\npackages: [bb]\n',
      'profiles/child.yaml': 'extends: parent\npackages: [cc, { remove: aa }]\n',
    });
    const p = await repo.load('child');
    expect(p.name).toBe('child');
    expect(p.sourceFiles).toEqual(['child', 'parent', 'grand'].map((n) => `${repo.root}/profiles/${n}.yaml`));
    expect(p.packages).toEqual(['bb', 'cc', 'linux-image-amd64']);
    expect(p.image.hostname).toBe('grand');
  });

  it('resolves relative paths against the file that names them', async () => {
    const repo = tempRepo({
      'elsewhere/base.yaml': yaml`
        overlays: [common, ./files]
        hooks:
          - name: setup
            when: after-bootstrap
            script: scripts/setup.sh
            args: [--quiet]
      `,
      'elsewhere/files/': '',
      'elsewhere/scripts/setup.sh': '#!/bin/sh\n',
      'profiles/child.yaml': 'extends: ../elsewhere/base.yaml\n',
    });
    const p = await repo.load('child');
    expect(p.overlays).toEqual([
      { name: 'common', path: `${repo.root}/overlays/common` },
      { name: './files', path: `${repo.root}/elsewhere/files` },
    ]);
    expect(p.hooks[0]).toEqual({ name: 'setup', when: 'after-bootstrap', script: `${repo.root}/elsewhere/scripts/setup.sh`, scriptSource: 'scripts/setup.sh', args: ['--quiet'] });
  });

  it('lets level: null drop an inherited level when switching to xz', async () => {
    const repo = tempRepo({
      'profiles/parent.yaml': 'squashfs:\n  level: 19\n',
      'profiles/xz.yaml': 'extends: parent\nsquashfs:\n  compression: xz\n  level: null\n',
      'profiles/bad.yaml': 'extends: parent\nsquashfs:\n  compression: xz\n',
    });
    expect((await repo.load('xz')).squashfs).toEqual({ compression: 'xz', level: null, block_size: '1M' });
    expect((await repo.problems('bad'))[0]).toMatch(/bad\.yaml:3:16: squashfs\.compression: xz takes no level, but level 19 is inherited from .*parent\.yaml:2:10: set level: null here/);
  });
});
