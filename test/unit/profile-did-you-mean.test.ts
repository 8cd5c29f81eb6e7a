// SPDX-License-Identifier: GPL-3.0-or-later
// Hints for typos: offered only when the match is close.
import { describe, expect, it } from 'vitest';
import { closest, didYouMean } from '../../src/builder/profile/did-you-mean.js';
import { tempRepo } from './profile-fixture.js';

describe('closest', () => {
  const keys = ['description', 'extends', 'distribution', 'packages', 'slim', 'image', 'overlays', 'hooks', 'squashfs', 'boot'];

  it('suggests a close key', () => {
    expect(closest('pakages', keys)).toBe('packages');
    expect(closest('Packages', keys)).toBe('packages');
    expect(closest('extend', keys)).toBe('extends');
    expect(closest('squashfs', ['squashfs'])).toBeUndefined();
  });

  it('suggests nothing for far-off words', () => {
    expect(closest('foo', keys)).toBeUndefined();
    expect(closest('kernel', keys)).toBeUndefined();
    expect(closest('x', ['y'])).toBeUndefined();
  });

  it('formats the hint', () => {
    expect(didYouMean('sliim', ['slim'])).toBe(" (did you mean 'slim'?)");
    expect(didYouMean('zzz', ['slim'])).toBe('');
  });
});

describe('did-you-mean in problems', () => {
  it('hints enum values', async () => {
    const problems = await tempRepo({ 'profiles/p.yaml': 'squashfs:\n  compression: zstdd\n' }).problems('p');
    expect(problems[0]).toMatch(/p\.yaml:2:16: squashfs\.compression: 'zstdd' is not one of: zstd, xz, gzip \(did you mean 'zstd'\?\)$/);
  });

  it('lists the allowed keys when nothing is close', async () => {
    const problems = await tempRepo({ 'profiles/p.yaml': 'image:\n  colour: blue\n' }).problems('p');
    expect(problems[0]).toMatch(/image\.colour: unknown key 'colour' \(allowed: hostname, locale, timezone, user\)$/);
  });

  it('hints parent profile names', async () => {
    const repo = tempRepo({ 'profiles/base.yaml': 'slim: true\n', 'profiles/child.yaml': 'extends: bsae\n' });
    expect((await repo.problems('child'))[0]).toMatch(/child\.yaml:1:10: extends: 'bsae': no profile .*profiles\/bsae\.yaml \(did you mean 'base'\?\)$/);
  });

  it('hints the profile asked for', async () => {
    const repo = tempRepo({ 'profiles/forensic.yaml': 'slim: true\n' });
    await expect(repo.load('forensc')).rejects.toThrow(/'forensc': no profile .*profiles\/forensc\.yaml \(did you mean 'forensic'\?\)/);
  });
});
