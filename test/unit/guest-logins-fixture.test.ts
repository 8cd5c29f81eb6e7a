// SPDX-License-Identifier: GPL-3.0-or-later
// The committed guest-logins fixture must be the one its maker script and profile make: when either
// changes, the fixture has to be remade (scripts/make-test-fixtures) and committed with it. CI
// never boots the maker, so this key is how a stale fixture is caught.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GUEST_LOGINS_ARCHIVE, makerKey, readGuestLoginsManifest } from '../helpers/guest-logins-fixture.js';

describe('guest-logins fixture', () => {
  it('was made by the current maker script and profile', () => {
    const manifest = readGuestLoginsManifest();
    expect(manifest.key, 'the logins maker changed: run `sudo scripts/make-test-fixtures guest-logins` and commit the new fixture').toBe(makerKey());
  });

  it('is the archive its MANIFEST names', () => {
    const manifest = readGuestLoginsManifest();
    const bytes = readFileSync(GUEST_LOGINS_ARCHIVE);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(manifest.archive.sha256);
    expect(manifest.tools['openssh-server']).toMatch(/^1:9\./);
  });
});
