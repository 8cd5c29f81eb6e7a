// SPDX-License-Identifier: GPL-3.0-or-later
// What the stages share: the resolved profile, where things go, the cache, and the typed products
// of earlier stages. A stage declares the products it needs and makes; `get` of a product nobody
// made and `set` of a product the running stage did not declare are bugs (InternalError), and
// the pipeline checks the declared order before anything runs (checkStageOrder).
import path from 'node:path';
import type { Profile } from '../profile/index.js';
import type { CleanupStack } from '../exec/cleanup.js';
import type { StageCache } from './cache.js';
import type { SourceDateEpoch } from '../repro/epoch.js';
import type { Signer } from '../sign/gpg.js';
import type { ImageTree } from './image-tree.js';
import type { BuildFeature } from './feature.js';
import { InternalError } from '../errors.js';

export interface BuildOptions {
  profile: Profile;
  repoRoot: string;
  outDir: string;
  cacheDir: string;
  workRoot: string;
  noCache: boolean;
  /** `--sign`/`--sign-key`: signs SHA256SUMS into SHA256SUMS.sign. */
  signer?: Signer;
  /** The registered features (features/index.ts): the outputs stage collects their parts. */
  features?: readonly BuildFeature[];
}

export interface StageRecord {
  stage: string;
  durationMs: number;
  cache: 'hit' | 'miss' | 'none';
  detail?: string;
}

/** The base tree every later layer stacks on (made by the bootstrap stage). */
export interface BaseTree {
  /** Cache entry holding root/, packages.tsv and kernel-version. */
  entry: string;
  key: string;
  kernelVersion: string;
}

/** The upper layer (configure .. initramfs): its key, and the cached entry when it was a hit. */
export interface UpperLayer {
  key: string;
  /** The build's identity: the first 16 hex digits of the upper key. */
  buildId: string;
  /** The cache entry (20-upper.squashfs, vmlinuz, initrd.img, packages.tsv) when the layer was cached. */
  entry: string | undefined;
  /** Where this build's changes land (the overlayfs upper directory) when it was not. */
  upperDir: string;
}

/**
 * Every product, by name. Stages add theirs by declaration merging
 * (`declare module '../pipeline/context.js' { interface Products { x: X } }`), so the pipeline
 * never imports a stage to know the type of what it makes.
 */
export interface Products {
  baseTree: BaseTree;
  upperLayer: UpperLayer;
}

export type ProductName = keyof Products;

/** Made by the pipeline itself (pipeline/upper-layer.ts), available from the first upper-layer stage on. */
export const PIPELINE_PRODUCTS: readonly ProductName[] = ['upperLayer'];

export class BuildContext {
  readonly records: StageRecord[] = [];
  readonly startedAt = new Date();
  private readonly products = new Map<ProductName, unknown>();
  /** What the running stage may set (undefined: the pipeline itself is setting). */
  private allowed: readonly ProductName[] | undefined;
  private current: string | undefined;
  /** The mounted image tree and its chroot while the upper layer is being made (owned by the pipeline). */
  tree: ImageTree | undefined;
  /** Where the running stage's progress goes (the pipeline points it at the task line). */
  private progressSink: ((message: string) => void) | undefined;

  constructor(
    readonly opts: BuildOptions,
    readonly cache: StageCache,
    readonly cleanup: CleanupStack,
    readonly toolVersions: Record<string, string>,
    /** The one timestamp of this build (repro/epoch.ts); also exported as SOURCE_DATE_EPOCH to every command. */
    readonly sourceDateEpoch: SourceDateEpoch,
  ) {}

  get profile(): Profile {
    return this.opts.profile;
  }

  get<K extends ProductName>(name: K): Products[K] {
    if (!this.products.has(name)) throw new InternalError(`${this.current ? `stage ${this.current}` : 'the pipeline'} read "${name}" before any stage made it`);
    return this.products.get(name) as Products[K];
  }

  has(name: ProductName): boolean {
    return this.products.has(name);
  }

  set<K extends ProductName>(name: K, value: Products[K]): void {
    if (this.allowed && !this.allowed.includes(name)) throw new InternalError(`stage ${this.current} made "${name}" but does not declare it in produces`);
    this.products.set(name, value);
  }

  /** For the pipeline: from now on only `produces` may be set, on behalf of `stage`. */
  enter(stage: string | undefined, produces: readonly ProductName[] | undefined, progress?: (message: string) => void): void {
    this.current = stage;
    this.allowed = produces;
    this.progressSink = progress;
  }

  /** A long stage says how far it is ("412 packages unpacked", "37%"); shown on its task line. */
  progress(message: string): void {
    this.progressSink?.(message);
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
