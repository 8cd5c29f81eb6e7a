// SPDX-License-Identifier: GPL-3.0-or-later
// The profile file's schema is composed from the features it is handed (profile/compose.ts): the
// core keys, then each feature's section at its declared place, so profile/ names no feature.
import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { FEATURES } from '../../src/builder/features/index.js';
import { profileFileSchema, profileKeys } from '../../src/builder/profile/compose.js';
import type { ProfileFeature } from '../../src/builder/profile/index.js';

const CORE = ['description', 'extends', 'distribution', 'packages', 'slim', 'image', 'overlays', 'hooks', 'squashfs', 'boot'];
const section = (name: string, after: string): ProfileFeature => ({ name, section: { key: name, schema: z.strictObject({}).prefault({}).describe(name), after } });

describe('the composed profile schema', () => {
  it('is the core keys alone without features, and each registered section at its place with them', () => {
    expect(profileKeys([])).toEqual(CORE);
    expect(profileKeys(FEATURES)).toEqual([...CORE, 'forensic', 'toolkit', 'reference', 'kernel', 'reproducible']);
    expect(profileFileSchema(FEATURES)).toBe(profileFileSchema(FEATURES));
  });

  it('places a section after another feature once that is placed, and keeps registration order after one key', () => {
    // b waits for a and then goes right after it (ahead of c, which was placed after boot before b was).
    expect(profileKeys([section('b', 'a'), section('a', 'boot'), section('c', 'boot')])).toEqual([...CORE, 'a', 'b', 'c']);
    expect(profileKeys([section('a', 'slim'), section('b', 'slim')])).toEqual([
      'description',
      'extends',
      'distribution',
      'packages',
      'slim',
      'a',
      'b',
      'image',
      'overlays',
      'hooks',
      'squashfs',
      'boot',
    ]);
  });

  it("puts a section whose anchor's feature is missing at the end, and refuses a key twice", () => {
    expect(profileKeys([section('b', 'a'), section('c', 'b')])).toEqual([...CORE, 'b', 'c']);
    expect(() => profileKeys([section('boot', 'slim')])).toThrow(/feature boot adds the profile key boot, which is already there/);
  });
});
