// SPDX-License-Identifier: GPL-3.0-or-later
// Makes the committed evidence fixtures (test/fixtures/evidence) with real tools in real guests.
// Not part of the test run: scripts/make-test-fixtures [NAME...] runs it (it builds images and
// boots them). Commit what it writes; test/unit/evidence-fixtures.test.ts then passes again.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'vitest';
import { apfsFixtureKey, makeApfsImage } from '../helpers/apfs-evidence.js';
import { packFixture } from '../helpers/committed-evidence.js';
import { buildProfile, TEST_OUT } from '../helpers/e2e.js';
import { makeRaidLvmImages, RAID_LVM_FILES, raidLvmKey } from '../helpers/raid-lvm-evidence.js';

const wanted = (process.env.FORENSIC_LIVE_FIXTURES ?? '').split(/\s+/).filter(Boolean);
const make = (name: string) => wanted.length === 0 || wanted.includes(name);

async function inScratch(fn: (dir: string) => Promise<void>): Promise<void> {
  mkdirSync(TEST_OUT, { recursive: true });
  const dir = mkdtempSync(path.join(TEST_OUT, 'fixture-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('committed evidence fixtures', () => {
  it.runIf(make('apfs-gpt'))('apfs-gpt: an APFS container written by the apfs module in a guest', () =>
    inScratch(async (dir) => {
      await makeApfsImage(dir);
      packFixture('apfs-gpt', apfsFixtureKey(), dir, ['apfs-gpt.img'], 'test/fixtures/profiles/apfs-maker.yaml guest (apfs-dkms, mkapfs, apfsck), apfsMakerScript()');
    }));

  it.runIf(make('raid-lvm'))('raid-lvm: an md RAID1 pair and an LVM volume group made by mdadm and lvm2 in a guest', () =>
    inScratch(async (dir) => {
      const forensic = await buildProfile('forensic');
      await makeRaidLvmImages(forensic.iso, dir);
      packFixture('raid-lvm', raidLvmKey(), dir, [...RAID_LVM_FILES], 'forensic image guest (mdadm, lvm2, mkfs.ext4), raidLvmScript()');
    }));
});
