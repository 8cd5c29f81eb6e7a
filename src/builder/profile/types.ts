// SPDX-License-Identifier: GPL-3.0-or-later
// The fully resolved profile the pipeline works with: defaults applied, chain merged, no `remove`
// items, paths absolute. Written out by hand so it reads well; the checks at the bottom make the
// compiler fail if schema.ts and these types drift apart. A feature's section and its types live in
// the feature's folder (its section.ts), which adds them to ProfileSections and MergedSections.
import type * as z from 'zod';
import type { bootEntrySchema, bootSchema, distributionSchema, imageSchema, serialConsoleSchema } from './schema.js';

export interface Distribution {
  suite: string;
  architecture: 'amd64';
  mirror: string;
  /** null: no SUITE-security. */
  security_mirror: string | null;
  updates: boolean;
  components: string[];
  variant: 'minbase' | 'apt' | 'important' | 'standard';
  /** snapshot.debian.org time; when set, mirror and security_mirror already point into it (repro/snapshot.ts). */
  snapshot: string | null;
}

export interface ImageUser {
  name: string;
  autologin: boolean;
  groups: string[];
}

export interface ImageSettings {
  hostname: string;
  locale: string;
  timezone: string;
  user: ImageUser;
}

export interface Overlay {
  /** As written in the profile: a bare name or a relative path. */
  name: string;
  /** Absolute path of the folder (it existed when the profile was loaded). */
  path: string;
}

export type HookWhen = 'after-bootstrap' | 'after-overlays';

export interface ScriptHook {
  name: string;
  when: HookWhen;
  /** Absolute host path of the script. */
  script: string;
  /** The script path as written, relative to the profile file that defined the hook. */
  scriptSource: string;
  args: string[];
  command?: undefined;
}

export interface CommandHook {
  name: string;
  when: HookWhen;
  /** argv run as-is inside the chroot. */
  command: string[];
  script?: undefined;
  scriptSource?: undefined;
  args?: undefined;
}

/** Narrow with `hook.script !== undefined` or `hook.command !== undefined`. */
export type Hook = ScriptHook | CommandHook;

export type Compression = 'zstd' | 'xz' | 'gzip';

export interface Squashfs {
  compression: Compression;
  /** Always set for zstd and gzip (defaults 15 and 9); null for xz. */
  level: number | null;
  block_size: '4K' | '8K' | '16K' | '32K' | '64K' | '128K' | '256K' | '512K' | '1M';
}

export type Firmware = 'bios' | 'uefi';

export interface BootEntry {
  id: string;
  label: string;
  /** Appended to Boot.kernel_options for this entry. */
  options: string[];
}

export interface SerialConsole {
  enabled: boolean;
  /** 0-3: ttyS0..ttyS3. */
  port: number;
  speed: 9600 | 19200 | 38400 | 57600 | 115200;
}

export interface Boot {
  firmware: Firmware[];
  volume_label: string;
  timeout: number;
  /** id of an entry in `entries`. */
  default: string;
  kernel_options: string[];
  /**
   * The profile's entries. The extra `serial` entry of serial_console is not in this list: the
   * bootloader stage derives it from the default entry (stages/grub-config.ts, menuEntries).
   */
  entries: BootEntry[];
  serial_console: SerialConsole;
  /** UEFI through Debian's signed shim -> signed GRUB -> signed kernel (secure-boot/signed-boot.ts). */
  secure_boot: boolean;
}

/** A path from the profile: as written (for records and messages) and absolute (to read it). */
export interface ProfilePath {
  source: string;
  path: string;
}

/**
 * The resolved sections features add, by top-level key. Each feature declares its own next to its
 * schema section (`declare module '../profile/types.js' { interface ProfileSections { kernel: Kernel } }`),
 * so the profile layer never imports a feature to know their types.
 */
export interface ProfileSections {}

/** The same sections as written, merged along the chain with defaults applied (schema output). */
export interface MergedSections {}

/** The resolved profile: the core keys below and every registered feature's section. */
export interface Profile extends ProfileSections {
  /** Basename of the profile file without .yaml. */
  name: string;
  /** Absolute paths of the extends chain, child first. */
  sourceFiles: string[];
  description?: string;
  distribution: Distribution;
  packages: string[];
  slim: boolean;
  image: ImageSettings;
  overlays: Overlay[];
  hooks: Hook[];
  squashfs: Squashfs;
  boot: Boot;
}

// Compile-time drift checks (features use Same and Holds for theirs): each line fails to compile if the schema's output and the type differ.
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Holds<T extends true> = T;
export type SchemaTypeChecks = [
  Holds<Same<z.output<typeof distributionSchema>, Distribution>>,
  Holds<Same<z.output<typeof imageSchema>, ImageSettings>>,
  Holds<Same<z.output<typeof bootEntrySchema>, BootEntry>>,
  Holds<Same<z.output<typeof serialConsoleSchema>, SerialConsole>>,
  Holds<Same<z.output<typeof bootSchema>, Boot>>,
];
