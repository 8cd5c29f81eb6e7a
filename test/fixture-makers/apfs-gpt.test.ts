// SPDX-License-Identifier: GPL-3.0-or-later
// Remakes test/fixtures/evidence/apfs-gpt (test/helpers/apfs-evidence.ts): an APFS container
// written by the apfs module in a guest booted from the apfs-maker profile. Only through
// scripts/make-test-fixtures; commit what it writes.
import { it } from 'vitest';
import { apfsFixtureKey, makeApfsImage } from '../helpers/apfs-evidence.js';
import { packFixture } from '../helpers/committed-evidence.js';
import { inScratch } from './scratch.js';

it('apfs-gpt: an APFS container written by the apfs module in a guest', () =>
  inScratch(async (dir) => {
    await makeApfsImage(dir);
    packFixture('apfs-gpt', apfsFixtureKey(), dir, ['apfs-gpt.img'], 'test/fixtures/profiles/apfs-maker.yaml guest (apfs-dkms, mkapfs, apfsck), apfsMakerScript()');
  }));
