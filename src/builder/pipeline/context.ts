// SPDX-License-Identifier: GPL-3.0-or-later
// What the stages share: the resolved profile, where things go, the cache, and what earlier
// stages produced (filled in as the pipeline runs, read by later stages).
import path from 'node:path';
import type { BootstrapTiming } from '../stages/bootstrap-timing.js';
import type { Profile } from '../profile/index.js';
import type { CleanupStack } from '../exec/cleanup.js';
import type { StageCache } from './cache.js';
import type { Chroot } from '../exec/chroot.js';
import type { SourceDateEpoch } from '../repro/epoch.js';
import type { Signer } from '../sign/gpg.js';

export interface BuildOptions {
  profile: Profile;
  repoRoot: string;
  outDir: string;
  cacheDir: string;
  workRoot: string;
  noCache: boolean;
  /** `--sign`/`--sign-key`: signs SHA256SUMS into SHA256SUMS.sign. */
  signer?: Signer;
}

export interface StageRecord {
  stage: string;
  durationMs: number;
  cache: 'hit' | 'miss' | 'none';
  detail?: string;
}

/** A kernel module the kernel-modules stage put into the image (read by the SBOM). */
export interface InjectedModule {
  name: string;
  source: { kind: 'package' | 'folder' | 'file'; package?: string; version?: string; path?: string };
  kernelVersion: string;
  file: string /* path in image, e.g. /lib/modules/KVER/updates/x.ko */;
  sha256: string;
  signed: boolean;
}

/** Produced by the stages, in pipeline order. */
export interface BuildState {
  /** Cache entry holding the bootstrapped tree (root/), its package list and kernel version. */
  bootstrapEntry?: string;
  bootstrapKey?: string;
  /** Seconds per phase of the mmdebstrap call that made the bootstrap entry (also on a cache hit). */
  bootstrapTiming?: BootstrapTiming;
  kernelVersion?: string;
  /** Key of the upper layer (configure + overlays + hooks + generated files). */
  upperKey?: string;
  /** Cache entry holding 20-upper.squashfs, vmlinuz, initrd.img and the final package list. */
  upperEntry?: string;
  /** Set while the overlay mount is up (upper layer not cached): the merged image tree and its chroot. */
  mergedRoot?: string;
  upperDir?: string;
  chroot?: Chroot;
  /** Unmounts the overlay (registered on the cleanup stack too). */
  unmountOverlay?: () => Promise<void>;
  baseLayer?: string;
  buildId?: string;
  isoDir?: string;
  isoPath?: string;
  isoSha256?: string;
  /** The one timestamp of this build (repro/epoch.ts); also exported as SOURCE_DATE_EPOCH to every command. */
  sourceDateEpoch?: SourceDateEpoch;
  /** Secure Boot: the signed packages the ESP's shim, MokManager and GRUB came from. */
  signedBoot?: { name: string; version: string; suite: string; sha256: string }[];
  /** Every module the kernel-modules stage injected (none: undefined or empty). */
  kernelModules?: InjectedModule[];
}

export class BuildContext {
  readonly state: BuildState = {};
  readonly records: StageRecord[] = [];
  readonly startedAt = new Date();

  constructor(
    readonly opts: BuildOptions,
    readonly cache: StageCache,
    readonly cleanup: CleanupStack,
    readonly toolVersions: Record<string, string>,
  ) {}

  get profile(): Profile {
    return this.opts.profile;
  }

  /** This profile's scratch space (overlay upper/work dirs, the ISO tree); removed by `build-live clean`. */
  get workDir(): string {
    return path.join(this.opts.workRoot, this.profile.name);
  }

  work(...parts: string[]): string {
    return path.join(this.workDir, ...parts);
  }

  out(file: string): string {
    return path.join(this.opts.outDir, file);
  }
}
