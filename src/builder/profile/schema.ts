// SPDX-License-Identifier: GPL-3.0-or-later
// The core keys of ONE profile file as the user writes it, and the building blocks feature sections
// use. compose.ts adds every registered feature's section (its folder's section.ts); validation,
// defaults, merge behaviour (mergeList), the JSON Schema and the reference page are all derived
// from that one composed object.
// Defaults are zod defaults, applied once to the merged chain, never to a single file. Merge lists
// and sections use prefault (a default that is parsed like input), so their defaults also show up
// in the JSON Schema.
import * as z from 'zod';
import { mergeList } from './schema-tools.js';
import type { MergedSections } from './types.js';

const ID = /^[a-z0-9][a-z0-9-]*$/;
const idError = 'must be lowercase letters, digits and dashes, starting with a letter or digit';
const id = () => z.string().regex(ID, { error: idError });

// Debian policy 5.6.1 package names, optionally pinned to a version with =VERSION.
export const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+(=[0-9][A-Za-z0-9.+~:-]*)?$/;
export const packageName = z.string().regex(PACKAGE_NAME, {
  error: 'not a Debian package name: lowercase letters, digits, + - . (2 characters or more), optionally =VERSION',
});

const httpUrl = () => z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const unixName = () => z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, { error: 'must be a Unix name: lowercase letters, digits, _ and -, at most 32 characters, not starting with a digit or dash' });
// Kernel options and argv items end up on command lines: whitespace would split them silently.
const word = () => z.string().regex(/^\S+$/, { error: 'must be one non-empty word without whitespace' });

export const distributionSchema = z.strictObject({
  suite: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, { error: 'must be a Debian suite name like bookworm' })
    .default('bookworm')
    .describe('Debian suite (codename) to build from.'),
  architecture: z.enum(['amd64']).default('amd64').describe('Target architecture (only amd64 for now).'),
  mirror: httpUrl().default('http://deb.debian.org/debian').describe('Debian mirror for the suite (and SUITE-updates).'),
  security_mirror: httpUrl().nullable().default('http://deb.debian.org/debian-security').describe('Mirror for SUITE-security; null leaves the security suite out.'),
  updates: z.boolean().default(true).describe('Also use SUITE-updates.'),
  components: mergeList(z.string().regex(/^[a-z][a-z0-9-]*$/, { error: 'must be an archive component like main or contrib' }))
    .prefault(['main'])
    .describe('Archive components (main, contrib, non-free, non-free-firmware).'),
  variant: z.enum(['minbase', 'apt', 'important', 'standard']).default('minbase').describe('mmdebstrap variant: which priority of packages the base system starts from.'),
  snapshot: z
    .string()
    .regex(/^\d{8}T\d{6}Z$/, { error: 'must be a snapshot.debian.org time like 20261128T000000Z' })
    .nullable()
    .default(null)
    .describe(
      'Pin the archive state: take the suite, SUITE-updates and SUITE-security from snapshot.debian.org as they were at this time (YYYYMMDDTHHMMSSZ), replacing mirror and security_mirror, so a rebuild installs the same package versions. The default SOURCE_DATE_EPOCH then is this time. null: the live mirror.',
    ),
});

export const userSchema = z.strictObject({
  name: unixName().default('user').describe("User name of the live session's account."),
  autologin: z.boolean().default(true).describe('Log the user in automatically on tty1 (and on the serial console).'),
  groups: mergeList(unixName()).prefault([]).describe('Supplementary groups of the user.'),
});

export const imageSchema = z.strictObject({
  hostname: z
    .string()
    .regex(/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/, { error: 'must be an RFC 1123 host label: letters, digits and inner dashes, at most 63 characters' })
    .default('debian-live')
    .describe('Host name of the live system.'),
  locale: z
    .string()
    .regex(/^[A-Za-z0-9_.@-]+$/, { error: 'must be a locale name like C.UTF-8 or en_US.UTF-8' })
    .default('C.UTF-8')
    .describe('Default locale (LANG).'),
  timezone: z
    .string()
    .regex(/^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/, { error: 'must be a tz database name like Etc/UTC or Europe/Berlin' })
    .default('Etc/UTC')
    .describe('Time zone.'),
  user: userSchema.prefault({}).describe("The live session's account."),
});

export const hookSchema = z.strictObject({
  name: id().describe('Unique id of the hook (the key for merging and `remove`).'),
  when: z.enum(['after-bootstrap', 'after-overlays']).describe('after-bootstrap runs into the cached base layer; after-overlays runs in the upper layer.'),
  script: z
    .string()
    .min(1, { error: 'must not be empty' })
    .optional()
    .describe("Host file, relative to the profile file's folder: copied into the chroot and run with `args`. Exactly one of script/command."),
  args: z.array(z.string()).optional().describe('Arguments for `script`.'),
  command: z.array(z.string()).min(1, { error: 'must name a program' }).optional().describe('argv run as-is inside the chroot. Exactly one of script/command.'),
});

export const squashfsSchema = z.strictObject({
  compression: z.enum(['zstd', 'xz', 'gzip']).default('zstd').describe('Compressor for the root file system image.'),
  level: z
    .number()
    .int()
    .min(1, { error: 'must be at least 1' })
    .max(22, { error: 'must be at most 22 (zstd 1-22, gzip 1-9)' })
    .nullable()
    .optional()
    .describe('Compression level: zstd 1-22 (default 15), gzip 1-9 (default 9); not allowed with xz. null drops an inherited level.'),
  block_size: z.enum(['4K', '8K', '16K', '32K', '64K', '128K', '256K', '512K', '1M']).default('1M').describe('mksquashfs block size.'),
});

export const bootEntrySchema = z.strictObject({
  id: id().describe('Unique id of the entry (the key for merging, `remove` and `boot.default`).'),
  label: z
    .string()
    .regex(/^[^\x00-\x1f\x7f]{1,80}$/, { error: 'must be 1-80 printable characters' })
    .describe('Menu text.'),
  options: z.array(word()).default([]).describe('Extra kernel options for this entry, after boot.kernel_options.'),
});

export const serialConsoleSchema = z.strictObject({
  enabled: z.boolean().default(true).describe('GRUB also talks on the serial port, and an extra entry `serial` ("<default label> (serial console)") boots with console=ttySn,SPEEDn8 last.'),
  port: z.number().int().min(0, { error: 'must be 0-3 (ttyS0..ttyS3)' }).max(3, { error: 'must be 0-3 (ttyS0..ttyS3)' }).default(0).describe('Serial port: 0-3 means ttyS0..ttyS3.'),
  speed: z.literal([9600, 19200, 38400, 57600, 115200]).default(115200).describe('Baud rate.'),
});

export const DEFAULT_ENTRY = { id: 'live', label: 'Live system', options: [] as string[] };

export const bootSchema = z.strictObject({
  firmware: mergeList(z.enum(['bios', 'uefi']))
    .prefault(['bios', 'uefi'])
    .describe('Firmware the ISO boots on; at least one after merging.'),
  volume_label: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(32, { error: 'must be at most 32 characters (ISO 9660 volume id)' })
    .regex(/^[A-Z0-9_]*$/, { error: 'may only use A-Z 0-9 _ (ISO 9660 volume id; no lowercase)' })
    .default('DEBIAN_LIVE')
    .describe('ISO 9660 volume id: 1-32 characters of A-Z 0-9 _.'),
  timeout: z.number().int().min(0, { error: 'must be 0-300 seconds' }).max(300, { error: 'must be 0-300 seconds' }).default(5).describe('Seconds the boot menu waits.'),
  default: id().default('live').describe('id of the entry booted when the timeout runs out; must exist after merging.'),
  kernel_options: mergeList(word()).prefault(['boot=live', 'components']).describe('Kernel options common to every entry.'),
  entries: mergeList(bootEntrySchema, { key: 'id' }).prefault([DEFAULT_ENTRY]).describe('Boot menu entries.'),
  serial_console: serialConsoleSchema.prefault({}).describe('Serial console support.'),
  secure_boot: z
    .boolean()
    .default(false)
    .describe(
      "UEFI boots through Debian's signed shim and signed GRUB (shim-signed, grub-efi-amd64-signed, taken from the suite's archive and checked against its signed InRelease) and Debian's signed kernel, so the ISO boots on machines that enforce Secure Boot with Microsoft's keys. Needs uefi in firmware. false: an unsigned GRUB built with grub-mkimage.",
    ),
});

/** The core keys of a profile file, in the order the JSON Schema and the reference page list them. */
export const coreProfileShape = {
  description: z.string().optional().describe('What this profile is for.'),
  extends: z.string().min(1, { error: 'must name a profile' }).optional().describe("Parent profile: a name in profiles/ or a path relative to this file (contains '/' or ends in .yaml)."),
  distribution: distributionSchema.prefault({}).describe('Where packages come from and how the base system is bootstrapped.'),
  packages: mergeList(packageName).prefault([]).describe('Debian packages to install (NAME or NAME=VERSION).'),
  slim: z
    .boolean()
    .default(false)
    .describe(
      'Keep docs (except copyright files), man pages, info pages, locales (except locale.alias) and kernel modules for hardware a live system does not drive (sound, media, InfiniBand, industrial I/O, staging, GPUs that need non-free firmware, Wi-Fi and Bluetooth) out of the image via dpkg path-exclude.',
    ),
  image: imageSchema.prefault({}).describe('Settings of the installed system.'),
  overlays: mergeList(z.string().min(1, { error: 'must name an overlay folder' }))
    .prefault([])
    .describe("Folders copied over the image tree: a bare name is overlays/NAME in the repository; a value with '/' is relative to the profile file's folder."),
  hooks: mergeList(hookSchema, { key: 'name' }).prefault([]).describe('Commands or scripts run inside the chroot.'),
  squashfs: squashfsSchema.prefault({}).describe('Root file system image.'),
  boot: bootSchema.prefault({}).describe('Boot menu and firmware.'),
};

/** One profile file merged along its chain with defaults applied: the core keys and every feature's section. */
export type MergedProfile = z.output<z.ZodObject<typeof coreProfileShape>> & MergedSections;
