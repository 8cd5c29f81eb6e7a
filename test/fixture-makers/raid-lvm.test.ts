// SPDX-License-Identifier: GPL-3.0-or-later
// Remakes test/fixtures/evidence/raid-lvm (test/helpers/raid-lvm-evidence.ts): an md RAID1 pair
// and an LVM volume group made by mdadm and lvm2 in a forensic guest. Only through
// scripts/make-test-fixtures; commit what it writes.
import { it } from 'vitest';
import { packFixture } from '../helpers/committed-evidence.js';
import { buildProfile } from '../helpers/e2e.js';
import { makeRaidLvmImages, RAID_LVM_FILES, raidLvmKey } from '../helpers/raid-lvm-evidence.js';
import { inScratch } from './scratch.js';

it('raid-lvm: an md RAID1 pair and an LVM volume group made by mdadm and lvm2 in a guest', () =>
  inScratch(async (dir) => {
    const forensic = await buildProfile('forensic');
    await makeRaidLvmImages(forensic.iso, dir);
    packFixture('raid-lvm', raidLvmKey(), dir, [...RAID_LVM_FILES], 'forensic image guest (mdadm, lvm2, mkfs.ext4), raidLvmScript()');
  }));
