// SPDX-License-Identifier: GPL-3.0-or-later
// verify's hash pool: the same sha256 (or error) from worker threads as in this thread, for every
// file, whatever the batching; a symlink is refused, never followed.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HashPool, type HashResult } from '../../src/responder/verify/hash-pool.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fl-hashpool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files: { file: string; want: HashResult }[] = [];
for (let i = 0; i < 600; i++) {
  const data = Buffer.alloc((i * 7919) % 300_000, i % 251);
  const file = path.join(dir, `f${i}`);
  writeFileSync(file, data);
  files.push({ file, want: { sha256: createHash('sha256').update(data).digest('hex') } });
}
symlinkSync(files[0]!.file, path.join(dir, 'link'));

async function hashWith(threads: number): Promise<HashResult[]> {
  const pool = new HashPool(threads, false);
  const got: HashResult[] = [];
  files.forEach((f, i) => pool.add(f.file, 300_000, (r) => (got[i] = r)));
  pool.add(path.join(dir, 'missing'), 0, (r) => (got[files.length] = r));
  pool.add(path.join(dir, 'link'), 0, (r) => (got[files.length + 1] = r));
  await pool.drain();
  return got;
}

describe('verify hash pool', () => {
  for (const threads of [0, 2, 3]) {
    it(`${threads} worker thread(s): every file hashed, errors reported per file`, async () => {
      const got = await hashWith(threads);
      expect(got.slice(0, files.length)).toEqual(files.map((f) => f.want));
      expect(got[files.length]?.error).toMatch(/ENOENT/);
      expect(got[files.length + 1]?.error).toMatch(/ELOOP/);
    });
  }
});
