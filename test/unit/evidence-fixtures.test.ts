// SPDX-License-Identifier: GPL-3.0-or-later
// The committed evidence fixtures (test/helpers/committed-evidence.ts) must match the maker
// scripts that describe them: change a script and this fails until scripts/make-test-fixtures has
// made the images again. The tarball must hold exactly the files its manifest names.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apfsFixtureKey } from '../helpers/apfs-evidence.js';
import { FIXTURE_DIR, readManifest } from '../helpers/committed-evidence.js';
import { raidLvmKey } from '../helpers/raid-lvm-evidence.js';

const FIXTURES: Record<string, () => string> = { 'apfs-gpt': apfsFixtureKey, 'raid-lvm': raidLvmKey };

describe('committed evidence fixtures', () => {
  for (const [name, key] of Object.entries(FIXTURES)) {
    it(`${name} was made by the current maker script`, () => {
      const manifest = readManifest(name);
      expect(manifest.key, `remake it: scripts/make-test-fixtures ${name}`).toBe(key());
      const tarball = path.join(FIXTURE_DIR, `${name}.tar.xz`);
      expect(existsSync(tarball)).toBe(true);
      const listed = execFileSync('tar', ['-tJf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
      expect(listed).toEqual(Object.keys(manifest.files).sort());
    });
  }
});
