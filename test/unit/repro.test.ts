// SPDX-License-Identifier: GPL-3.0-or-later
// Reproducible builds: where SOURCE_DATE_EPOCH comes from, how a snapshot pins the archive, that
// every timestamped tool gets it, and how repro-check says where two builds differ.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseEpoch, resolveSourceDateEpoch } from '../../src/builder/repro/epoch.js';
import { snapshotEpoch, snapshotMirrors } from '../../src/builder/repro/snapshot.js';
import { diffDigests, firstDifference, treeDigest } from '../../src/builder/repro/compare.js';
import { mksquashfsArgv } from '../../src/builder/stages/squashfs-argv.js';
import { mmdebstrapArgv } from '../../src/builder/stages/bootstrap-argv.js';
import { sampleProfile } from '../helpers/sample-profile.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'repro-test-'));
  dirs.push(d);
  return d;
}

describe('SOURCE_DATE_EPOCH', () => {
  const opts = { repoRoot: '/nonexistent', cacheDir: '/nonexistent' };

  it('the environment wins over the profile, and must be whole seconds', async () => {
    const p = sampleProfile({ reproducible: { source_date_epoch: 1_600_000_000 } });
    expect(await resolveSourceDateEpoch(p, { ...opts, env: { SOURCE_DATE_EPOCH: '1700000000' } })).toEqual({ epoch: 1_700_000_000, from: 'environment SOURCE_DATE_EPOCH' });
    expect(await resolveSourceDateEpoch(p, { ...opts, env: {} })).toEqual({ epoch: 1_600_000_000, from: 'profile reproducible.source_date_epoch' });
    await expect(resolveSourceDateEpoch(p, { ...opts, env: { SOURCE_DATE_EPOCH: 'yesterday' } })).rejects.toThrow(/SOURCE_DATE_EPOCH: "yesterday" is not a Unix time/);
    expect(() => parseEpoch('1.5', 'x')).toThrow(/not a Unix time/);
  });

  it('a snapshot gives its own time and mirrors', async () => {
    expect(snapshotEpoch('20261128T021535Z')).toBe(Date.UTC(2026, 10, 28, 2, 15, 35) / 1000);
    const p = sampleProfile();
    p.distribution.snapshot = '20261128T000000Z';
    expect(await resolveSourceDateEpoch(p, { ...opts, env: {} })).toEqual({ epoch: Date.UTC(2026, 10, 28) / 1000, from: 'archive snapshot 20261128T000000Z' });
    expect(snapshotMirrors('20261128T000000Z', true)).toEqual({
      mirror: 'http://snapshot.debian.org/archive/debian/20261128T000000Z',
      security_mirror: 'http://snapshot.debian.org/archive/debian-security/20261128T000000Z',
    });
    expect(snapshotMirrors('20261128T000000Z', false).security_mirror).toBeNull();
  });

  it('git: the repository must be a checkout', async () => {
    const p = sampleProfile({ reproducible: { source_date_epoch: 'git' } });
    await expect(resolveSourceDateEpoch(p, { ...opts, repoRoot: tmp(), env: {} })).rejects.toThrow(/is not a git checkout/);
  });

  it('squashfs layers take it for every inode and the superblock', () => {
    const argv = mksquashfsArgv(sampleProfile(), '/src', '/out.sq', 1_700_000_000);
    expect(argv.join(' ')).toContain('-mkfs-time 1700000000 -all-time 1700000000');
    expect(mksquashfsArgv(sampleProfile(), '/src', '/out.sq')).not.toContain('-all-time');
  });

  it('apt accepts an expired Valid-Until only for a snapshot, and never skips signatures', () => {
    const live = mmdebstrapArgv(sampleProfile(), '/t', '/c');
    expect(live.some((a) => a.includes('Check-Valid-Until'))).toBe(false);
    const p = sampleProfile();
    p.distribution.snapshot = '20261128T000000Z';
    const pinned = mmdebstrapArgv(p, '/t', '/c');
    expect(pinned).toContain('--aptopt=Acquire::Check-Valid-Until "false"');
    expect(pinned.join(' ')).not.toMatch(/AllowInsecure|allow-insecure|trusted=yes|AllowUnauthenticated/i);
  });
});

describe('repro-check comparison', () => {
  function tree(files: Record<string, string>): string {
    const root = tmp();
    for (const [rel, content] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      if (content.startsWith('->')) symlinkSync(content.slice(2), path.join(root, rel));
      else writeFileSync(path.join(root, rel), content);
    }
    return root;
  }

  it('lists changed, added and removed files, and symlink targets', async () => {
    const a = await treeDigest(tree({ 'live/x': 'same', 'live/y': 'old', 'boot/l': '->a', gone: '1' }));
    const b = await treeDigest(tree({ 'live/x': 'same', 'live/y': 'new', 'boot/l': '->b', added: '1' }));
    expect(diffDigests(a, b)).toEqual(['added (only in the second build)', 'boot/l (content)', 'gone (only in the first build)', 'live/y (content)']);
    expect(diffDigests(a, a)).toEqual([]);
  });

  it('tells a metadata-only difference from a content difference', async () => {
    const a = tree({ f: 'same' });
    const b = tree({ f: 'same' });
    const { utimesSync } = await import('node:fs');
    utimesSync(path.join(b, 'f'), 1_000_000, 1_000_000);
    expect(diffDigests(await treeDigest(a), await treeDigest(b))).toEqual(['f (metadata: mode, owner or mtime)']);
  });

  it('finds the first differing byte, across read chunks', async () => {
    const d = tmp();
    const big = Buffer.alloc(3 << 20, 7);
    writeFileSync(path.join(d, 'a'), big);
    writeFileSync(path.join(d, 'b'), big);
    expect(await firstDifference(path.join(d, 'a'), path.join(d, 'b'))).toBe(-1);
    const changed = Buffer.from(big);
    changed[(2 << 20) + 5] = 8;
    writeFileSync(path.join(d, 'b'), changed);
    expect(await firstDifference(path.join(d, 'a'), path.join(d, 'b'))).toBe((2 << 20) + 5);
    writeFileSync(path.join(d, 'b'), big.subarray(0, 100));
    expect(await firstDifference(path.join(d, 'a'), path.join(d, 'b'))).toBe(100);
  });
});

describe('overlayfs bookkeeping xattrs', () => {
  it('reads getfattr names per file, escaped paths included, and keeps only meaningful ones', async () => {
    const { parseGetfattrNames, KEPT_OVERLAY_XATTRS } = await import('../../src/builder/stages/overlay-xattrs.js');
    const parsed = parseGetfattrNames('# file: /w/upper/etc\ntrusted.overlay.impure\ntrusted.overlay.origin\n\n# file: /w/upper/odd\\040name\\012x\ntrusted.overlay.opaque\n\n');
    expect(parsed).toEqual([
      { file: '/w/upper/etc', names: ['trusted.overlay.impure', 'trusted.overlay.origin'] },
      { file: '/w/upper/odd name\nx', names: ['trusted.overlay.opaque'] },
    ]);
    expect(KEPT_OVERLAY_XATTRS.has('trusted.overlay.opaque')).toBe(true);
    expect(KEPT_OVERLAY_XATTRS.has('trusted.overlay.origin')).toBe(false);
  });
});
