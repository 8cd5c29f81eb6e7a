// SPDX-License-Identifier: GPL-3.0-or-later
// Secure Boot's chain starts with Debian's signed binaries: shim (signed by Microsoft), MokManager,
// and GRUB's CD image (signed by Debian). They are taken from the profile's own suites, never from
// the build host: the suites' InRelease is verified with gpgv, the .debs are checked against the
// signed Packages index (the same trust chain as the reference database), and the newest version
// any of the suites carries wins (SUITE-security and -updates carry revocation fixes first).
import { existsSync } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { BuildContext } from '../pipeline/context.js';
import { cacheKey } from '../pipeline/cache.js';
import { run } from '../exec/run.js';
import { fetchDeb } from '../archive/fetch-debs.js';
import { newestPackages } from '../archive/newest.js';
import { imageSuites } from '../profile/suites.js';

/** Where each binary lives in its package, and its name on the ESP (shim loads grubx64.efi and mmx64.efi next to itself). */
export const SIGNED_BINARIES = [
  { package: 'shim-signed', file: 'usr/lib/shim/shimx64.efi.signed', esp: 'BOOTX64.EFI' },
  { package: 'shim-helpers-amd64-signed', file: 'usr/lib/shim/mmx64.efi.signed', esp: 'mmx64.efi' },
  { package: 'grub-efi-amd64-signed', file: 'usr/lib/grub/x86_64-efi-signed/gcdx64.efi.signed', esp: 'grubx64.efi' },
] as const;

export interface SignedBootFiles {
  /** ESP file name -> file on the host (in the build cache). */
  files: Record<string, string>;
  packages: { name: string; version: string; suite: string; sha256: string }[];
}

export async function signedBootFiles(ctx: BuildContext): Promise<SignedBootFiles> {
  const d = ctx.profile.distribution;
  const names = SIGNED_BINARIES.map((b) => b.package);
  const found = await newestPackages(d, names, ctx.opts.cacheDir);
  const unknown = names.filter((n) => !found.has(n));
  if (unknown.length)
    throw new Error(
      `Secure Boot needs ${unknown.join(', ')}, which ${imageSuites(d)
        .map((s) => s.suite)
        .join(', ')} do not carry`,
    );
  const chosen = names.map((n) => found.get(n)!);
  const key = cacheKey({ debs: chosen.map((p) => p.sha256) });
  const entry =
    ctx.cache.lookup('signed-boot', key) ??
    (await ctx.cache.create('signed-boot', key, async (tmp) => {
      for (const [i, bin] of SIGNED_BINARIES.entries()) {
        const deb = await fetchDeb(chosen[i]!, ctx.opts.cacheDir);
        const unpacked = path.join(tmp, 'unpacked', bin.package);
        await mkdir(unpacked, { recursive: true });
        // dpkg-deb reads the .deb whose sha256 the signed index vouched for; nothing is run from it.
        await run(['dpkg-deb', '--extract', deb.file, unpacked], { label: 'dpkg-deb' });
        const from = path.join(unpacked, bin.file);
        if (!existsSync(from)) throw new Error(`${bin.package} ${chosen[i]!.version} has no /${bin.file}`);
        await copyFile(from, path.join(tmp, bin.esp));
      }
      await rm(path.join(tmp, 'unpacked'), { recursive: true, force: true });
    }));
  return {
    files: Object.fromEntries(SIGNED_BINARIES.map((b) => [b.esp, path.join(entry, b.esp)])),
    packages: chosen.map((p) => ({ name: p.name, version: p.version, suite: p.suite, sha256: p.sha256 })),
  };
}
