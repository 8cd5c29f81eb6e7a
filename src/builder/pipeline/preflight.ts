// SPDX-License-Identifier: GPL-3.0-or-later
// The cheap checks before a build: root, and every host tool present (naming the Debian package
// that provides a missing one), plus the versions recorded in build.json and cache keys.
import { existsSync, readFileSync } from 'node:fs';
import { delimiter } from 'node:path';
import path from 'node:path';
import { UserError } from '../errors.js';
import { capture } from '../exec/run.js';
import { ARCHIVE_KEYRING } from '../paths.js';

/** A host requirement: a program on PATH or a file, and the Debian package that provides it. */
export interface HostRequirement {
  what: string;
  pkg: string;
  program?: string;
  file?: string;
  /** Only needed when the profile boots this way. */
  firmware?: 'bios' | 'uefi';
}

export const BUILD_REQUIREMENTS: HostRequirement[] = [
  { what: 'mmdebstrap', program: 'mmdebstrap', pkg: 'mmdebstrap' },
  { what: 'mksquashfs', program: 'mksquashfs', pkg: 'squashfs-tools' },
  { what: 'xorriso', program: 'xorriso', pkg: 'xorriso' },
  { what: 'grub-mkimage', program: 'grub-mkimage', pkg: 'grub-common' },
  { what: 'dpkg-query', program: 'dpkg-query', pkg: 'dpkg' },
  // mmdebstrap's eatmydata hook (dpkg without fsync during the bootstrap) calls dpkg-architecture.
  { what: 'dpkg-architecture', program: 'dpkg-architecture', pkg: 'dpkg-dev' },
  { what: 'xz', program: 'xz', pkg: 'xz-utils' },
  { what: 'getfattr/setfattr', program: 'setfattr', pkg: 'attr' },
  { what: "Debian's archive keyring", file: ARCHIVE_KEYRING, pkg: 'debian-archive-keyring' },
  { what: 'GRUB for BIOS', file: '/usr/lib/grub/i386-pc/boot_hybrid.img', pkg: 'grub-pc-bin', firmware: 'bios' },
  { what: 'GRUB for UEFI', file: '/usr/lib/grub/x86_64-efi/linux.mod', pkg: 'grub-efi-amd64-bin', firmware: 'uefi' },
  { what: 'mkfs.vfat', program: 'mkfs.vfat', pkg: 'dosfstools', firmware: 'uefi' },
  { what: 'mcopy', program: 'mcopy', pkg: 'mtools', firmware: 'uefi' },
];

export function onPath(program: string): boolean {
  const dirs = (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin']);
  return dirs.some((d) => d && existsSync(path.join(d, program)));
}

export function missingRequirements(firmware: readonly string[], reqs = BUILD_REQUIREMENTS): HostRequirement[] {
  return reqs.filter((r) => (!r.firmware || firmware.includes(r.firmware)) && !(r.program ? onPath(r.program) : existsSync(r.file!)));
}

/** The host's problems as one line each (for the verify report that lists everything at once). */
export function hostProblems(firmware: readonly string[]): string[] {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push('host: build-live must run as root (it bootstraps with mmdebstrap in root mode and mounts an overlay)');
  const missing = missingRequirements(firmware);
  if (missing.length)
    problems.push(`host: missing host tools: ${missing.map((m) => m.what).join(', ')} (apt-get install --no-install-recommends ${[...new Set(missing.map((m) => m.pkg))].join(' ')})`);
  return problems;
}

export function assertHostReady(firmware: readonly string[]): void {
  if (process.getuid?.() !== 0) {
    throw new UserError(
      'build-live must run as root: it bootstraps with mmdebstrap in root mode and mounts /proc, /sys and an overlay in the image tree',
      'run it with sudo, e.g. `sudo build-live --profile minimal`',
    );
  }
  const missing = missingRequirements(firmware);
  if (missing.length) {
    const pkgs = [...new Set(missing.map((m) => m.pkg))];
    throw new UserError(
      `missing host tools: ${missing.map((m) => m.what).join(', ')}`,
      `install them with: apt-get install --no-install-recommends ${pkgs.join(' ')}  (or run scripts/setup-host); on a host that is not Debian, build in a container: build-live --container auto --profile NAME`,
    );
  }
}

function firstLine(s: string): string {
  return (
    s
      .split('\n')
      .find((l) => l.trim())
      ?.trim() ?? ''
  );
}

export function builderVersion(repoRoot: string): string {
  return (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Versions of the tools whose output ends up in the image (part of cache keys and build.json). */
export async function toolVersions(repoRoot: string): Promise<Record<string, string>> {
  const v = async (argv: string[], pick: (s: string) => string = firstLine) => pick(await capture(argv).catch(() => 'unknown'));
  const [mmdebstrap, mksquashfs, xorriso, grub] = await Promise.all([v(['mmdebstrap', '--version']), v(['mksquashfs', '-version']), v(['xorriso', '-version']), v(['grub-mkimage', '--version'])]);
  return { 'build-live': builderVersion(repoRoot), node: process.version, mmdebstrap, mksquashfs, xorriso, grub };
}
