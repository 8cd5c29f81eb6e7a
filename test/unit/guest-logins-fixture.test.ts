// SPDX-License-Identifier: GPL-3.0-or-later
// The committed guest-logins fixture must be the one its maker script and profile make: when either
// changes, the fixture has to be remade (scripts/make-test-fixtures) and committed with it. CI
// never boots the maker, so this key is how a stale fixture is caught (evidence-fixtures.test.ts
// checks the files of every fixture; here: what the logins tests read from its manifest).
import { describe, expect, it } from 'vitest';
import { guestLoginsKey, readGuestLoginsManifest } from '../helpers/guest-logins-fixture.js';

describe('guest-logins fixture', () => {
  it('was made by the current maker script and profile', () => {
    const manifest = readGuestLoginsManifest();
    expect(manifest.key, 'the logins maker changed: run `sudo scripts/make-test-fixtures guest-logins` and commit the new fixture').toBe(guestLoginsKey());
  });

  it('records the tools and the key the logins tests expect', () => {
    const { facts } = readGuestLoginsManifest();
    expect(facts.tools['openssh-server']).toMatch(/^1:9\./);
    expect(facts.aliceKey).toMatch(/^ED25519 SHA256:/);
  });
});
