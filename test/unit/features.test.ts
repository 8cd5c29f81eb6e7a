// SPDX-License-Identifier: GPL-3.0-or-later
// The feature registration: the profile layer applies exactly the features it is handed (it knows
// none itself), each feature once, and their build record sections keep build.json's key order.
import { describe, expect, it } from 'vitest';
import { FEATURES, loadProfile } from '../../src/builder/features/index.js';
import { loadProfileWith } from '../../src/builder/profile/index.js';
import { REPO } from '../helpers/e2e.js';

describe('features', () => {
  it('are registered once each, in the order their resolve steps need', () => {
    const names = FEATURES.map((f) => f.name);
    expect(names).toEqual(['reproducibility', 'secure-boot', 'reference', 'forensic', 'kernel', 'toolkit']);
    expect(new Set(names).size).toBe(names.length);
  });

  it('drive the profile layer: without them the forensic entry and the kernel section are not there', async () => {
    const withAll = await loadProfile('forensic', { repoRoot: REPO });
    expect(withAll.boot.default).toBe('forensic');
    expect(withAll.overlays.at(-1)?.name).toBe('forensic');
    const forensicOnly = FEATURES.filter((f) => f.name !== 'kernel');
    // The kernel feature owns its section: without it the schema has no kernel key.
    await expect(loadProfileWith(forensicOnly, 'forensic', { repoRoot: REPO })).rejects.toThrow(/kernel: unknown key 'kernel'/);
    const noForensic = FEATURES.filter((f) => f.name !== 'forensic');
    await expect(loadProfileWith(noForensic, 'forensic', { repoRoot: REPO })).rejects.toThrow(/forensic: unknown key 'forensic'/);
    // A profile that does not name the section still loads, and nothing adds the forensic entry.
    expect((await loadProfileWith(noForensic, 'base', { repoRoot: REPO })).boot.default).not.toBe('forensic');
  });

  it("give build.json's feature sections in its order", () => {
    const keys = FEATURES.flatMap((f) => (f.record ? Object.keys(f.record(fakeCtx())) : []));
    expect(keys).toEqual(['secureBoot', 'reference', 'kernelModules']);
  });
});

/** Just enough of a build context for record(): a profile with Secure Boot off and empty products. */
function fakeCtx(): Parameters<NonNullable<(typeof FEATURES)[number]['record']>>[0] {
  const products: Record<string, unknown> = { reference: null, kernelModules: [], signedBoot: [] };
  return { profile: { boot: { secure_boot: false } }, get: (k: string) => products[k] } as unknown as Parameters<NonNullable<(typeof FEATURES)[number]['record']>>[0];
}
