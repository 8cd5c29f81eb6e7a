// SPDX-License-Identifier: GPL-3.0-or-later
// What the configure stage can check before the bootstrap: the locale and timezone names (against
// the host's glibc and tzdata lists when the host has them) and that the packages that make them
// work are in the profile. Each check stays silent where it cannot be sure (a hook may still
// install a package; the standard variant brings locales), so a buildable profile is never refused.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Profile } from '../profile/index.js';

const BUILTIN_LOCALES = new Set(['C', 'C.UTF-8', 'POSIX']);
const SUPPORTED_LOCALES = '/usr/share/i18n/SUPPORTED';
const ZONEINFO = '/usr/share/zoneinfo';

export function configureProblems(profile: Profile, host = { supported: SUPPORTED_LOCALES, zoneinfo: ZONEINFO }): string[] {
  const problems: string[] = [];
  const { locale, timezone } = profile.image;
  const packages = new Set(profile.packages);
  const hooksMayInstall = profile.hooks.some((h) => h.when === 'after-bootstrap');
  if (!BUILTIN_LOCALES.has(locale)) {
    const known = knownLocales(host.supported);
    if (known && !known.has(locale)) problems.push(`image.locale ${locale} is not a locale glibc knows (see ${host.supported}), e.g. en_US.UTF-8`);
    else if (!packages.has('locales') && !packages.has('locales-all') && !hooksMayInstall && profile.distribution.variant !== 'standard') {
      problems.push(`image.locale ${locale} needs the package "locales": add it to the profile's packages (or use C.UTF-8)`);
    }
  }
  if (timezone !== 'Etc/UTC' && timezone !== 'UTC') {
    const bad = timezone.split('/').some((part) => part === '..' || part === '') || path.isAbsolute(timezone);
    if (bad || (existsSync(host.zoneinfo) && !existsSync(path.join(host.zoneinfo, timezone)))) {
      problems.push(`image.timezone ${timezone} is not a tz database name (e.g. Europe/Berlin, Etc/UTC)`);
    }
  }
  return problems;
}

function knownLocales(file: string): Set<string> | undefined {
  if (!existsSync(file)) return undefined;
  const names = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.split(/\s+/)[0] ?? '')
    .filter(Boolean);
  // SUPPORTED spells the charset "UTF-8"; people also write "utf8".
  return new Set(names.flatMap((n) => [n, n.replace(/\.UTF-8$/, '.utf8')]));
}
