// SPDX-License-Identifier: GPL-3.0-or-later
import { existsSync, mkdtempSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StageCache, cacheKey } from '../../src/builder/pipeline/cache.js';

const tmp = () => mkdtempSync(path.join(tmpdir(), 'fl-cache-'));

describe('cacheKey', () => {
  it('does not depend on key order but on every value', () => {
    expect(cacheKey({ a: 1, b: [1, 2] })).toBe(cacheKey({ b: [1, 2], a: 1 }));
    expect(cacheKey({ a: 1, b: [1, 2] })).not.toBe(cacheKey({ a: 1, b: [2, 1] }));
    expect(cacheKey({ a: 1 })).not.toBe(cacheKey({ a: '1' }));
  });
});

describe('StageCache', () => {
  it('publishes an entry only once it is complete', async () => {
    const cache = new StageCache(tmp());
    expect(cache.lookup('x', 'k')).toBeUndefined();
    const entry = await cache.create('x', 'k', async (dir) => writeFileSync(path.join(dir, 'f'), 'data'));
    expect(cache.lookup('x', 'k')).toBe(entry);
    expect(readdirSync(entry).sort()).toEqual(['.complete', 'f']);
  });

  it('leaves nothing a later build would trust when filling fails', async () => {
    const dir = tmp();
    const cache = new StageCache(dir);
    await expect(
      cache.create('x', 'k', async (d) => {
        writeFileSync(path.join(d, 'half'), 'half-written');
        throw new Error('interrupted');
      }),
    ).rejects.toThrow('interrupted');
    expect(cache.lookup('x', 'k')).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('ignores and removes the temporary folder of a build that was killed', async () => {
    const dir = tmp();
    // A killed build leaves its tmp folder (pid 999999 is not running) and maybe a folder without .complete.
    mkdirSync(path.join(dir, '.tmp-x-k-999999'));
    mkdirSync(path.join(dir, 'x-k'));
    const cache = new StageCache(dir);
    expect(cache.lookup('x', 'k')).toBeUndefined();
    expect(await cache.removeStale()).toEqual(['.tmp-x-k-999999']);
    expect(existsSync(path.join(dir, '.tmp-x-k-999999'))).toBe(false);
  });

  it('misses every lookup when told not to use existing entries (--no-cache), yet still writes', async () => {
    const dir = tmp();
    await new StageCache(dir).create('x', 'k', async () => {});
    const cold = new StageCache(dir, false);
    expect(cold.lookup('x', 'k')).toBeUndefined();
    await cold.create('x', 'k', async (d) => writeFileSync(path.join(d, 'new'), ''));
    expect(new StageCache(dir).lookup('x', 'k')).toBeDefined();
    expect(existsSync(path.join(dir, 'x-k', 'new'))).toBe(true);
  });
});

describe('StageCache.prune', () => {
  it('removes entries unused for the given days and keeps recently used ones', async () => {
    const dir = tmp();
    const cache = new StageCache(dir);
    await cache.create('x', 'old', async () => {});
    await cache.create('x', 'new', async () => {});
    const { utimesSync } = await import('node:fs');
    const longAgo = new Date(Date.now() - 40 * 86_400_000);
    utimesSync(path.join(dir, 'x-old', '.complete'), longAgo, longAgo);
    utimesSync(path.join(dir, 'x-new', '.complete'), longAgo, longAgo);
    expect(cache.lookup('x', 'new')).toBeDefined(); // a hit counts as a use
    expect(await cache.prune(30)).toEqual(['x-old']);
    expect(readdirSync(dir).sort()).toEqual(['x-new']);
  });
});
