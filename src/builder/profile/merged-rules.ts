// SPDX-License-Identifier: GPL-3.0-or-later
// Checks that need the whole merged chain with defaults applied: each rule is a small function
// that reports problems; positions come from the file that set the offending value.
import { didYouMean } from './did-you-mean.js';
import type { MergedProfile } from './schema.js';
import type { PathSeg } from './schema-tools.js';

export interface MergedRuleContext {
  profile: MergedProfile;
  report(path: PathSeg[], message: string): void;
  /** Where the value at a merged path was set (undefined if defaulted); depth 0 is the child file. */
  where(path: PathSeg[]): { at: string; depth: number } | undefined;
}

export type MergedRule = (ctx: MergedRuleContext) => void;

export const SERIAL_ENTRY_ID = 'serial';

export const LEVEL_RANGE = { zstd: [1, 22], gzip: [1, 9] } as const;
export const DEFAULT_LEVEL = { zstd: 15, gzip: 9 } as const;

export const defaultEntryExists: MergedRule = ({ profile, report }) => {
  const ids = profile.boot.entries.map((e) => e.id);
  if (ids.includes(profile.boot.default)) return;
  const known = ids.length ? ids.join(', ') : 'none';
  report(['boot', 'default'], `'${profile.boot.default}' is not the id of a boot entry (entries: ${known})${didYouMean(profile.boot.default, ids)}`);
};

export const firmwareNotEmpty: MergedRule = ({ profile, report }) => {
  if (profile.boot.firmware.length === 0) report(['boot', 'firmware'], 'needs at least one of bios, uefi');
};

export const compressionLevel: MergedRule = ({ profile, report, where }) => {
  const { compression, level } = profile.squashfs;
  if (level === undefined || level === null) return;
  const range = compression === 'xz' ? undefined : LEVEL_RANGE[compression];
  if (range && level >= range[0] && level <= range[1]) return;
  // When a child changes the compression under an inherited level, the child is where to fix it.
  const c = where(['squashfs', 'compression']);
  const l = where(['squashfs', 'level']);
  if (c && l && c.depth < l.depth) {
    const takes = range ? `takes levels ${range[0]}-${range[1]}` : 'takes no level';
    report(['squashfs', 'compression'], `${compression} ${takes}, but level ${level} is inherited from ${l.at}: set ${range ? 'a level' : 'level: null'} here`);
    return;
  }
  if (range) report(['squashfs', 'level'], `${level} is out of range for ${compression} (${range[0]}-${range[1]})`);
  else report(['squashfs', 'level'], 'xz takes no level: leave level out (level: null drops an inherited one)');
};

/** The serial-console entry is generated with the id `serial`, so a profile entry may not use it. */
export const serialIdFree: MergedRule = ({ profile, report }) => {
  if (!profile.boot.serial_console.enabled) return;
  const i = profile.boot.entries.findIndex((e) => e.id === SERIAL_ENTRY_ID);
  if (i >= 0) report(['boot', 'entries', i, 'id'], `'${SERIAL_ENTRY_ID}' is reserved for the generated serial-console entry (rename it, or set boot.serial_console.enabled: false)`);
};

export const mergedRules: readonly MergedRule[] = [defaultEntryExists, firmwareNotEmpty, compressionLevel, serialIdFree];
