// SPDX-License-Identifier: GPL-3.0-or-later
// The committed evidence fixtures (test/helpers/committed-evidence.ts) must match the maker
// scripts that describe them: change a script and this fails until scripts/make-test-fixtures has
// made the images again. The tarball must hold exactly the files its manifest names.
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apfsFixtureKey } from '../helpers/apfs-evidence.js';
import { FIXTURE_DIR, fixtureTarball, readManifest, tarFiles } from '../helpers/committed-evidence.js';
import { guestLoginsKey } from '../helpers/guest-logins-fixture.js';
import { raidLvmKey } from '../helpers/raid-lvm-evidence.js';

const FIXTURES: Record<string, () => string> = { 'apfs-gpt': apfsFixtureKey, 'raid-lvm': raidLvmKey, 'guest-logins': guestLoginsKey };

describe('committed evidence fixtures', () => {
  for (const [name, key] of Object.entries(FIXTURES)) {
    it(`${name} was made by the current maker script`, () => {
      const manifest = readManifest(name);
      expect(manifest.key, `remake it: scripts/make-test-fixtures ${name}`).toBe(key());
      const tarball = fixtureTarball(name);
      expect(existsSync(tarball)).toBe(true);
      expect(tarFiles(tarball)).toEqual(Object.keys(manifest.files).sort());
    });
  }

  it('are all listed here, each a NAME.tar.xz with its NAME.json', () => {
    const names = readdirSync(FIXTURE_DIR).sort();
    expect(names).toEqual(
      Object.keys(FIXTURES)
        .flatMap((n) => [`${n}.json`, `${n}.tar.xz`])
        .sort(),
    );
  });
});
