// SPDX-License-Identifier: GPL-3.0-or-later
// The profile's `reference:` section resolved against its distribution: the default suites
// (SUITE, SUITE-updates, SUITE-security, as the bootstrap uses them) and each suite's mirror.
import type { MergedProfile } from '../profile/schema.js';
import type { Reference } from './section.js';
import { imageSuites } from '../profile/suites.js';

export function resolveReference(r: MergedProfile['reference'], d: MergedProfile['distribution']): Reference {
  if (!r.suites.length) return { ...r, suites: imageSuites(d) };
  const suites = r.suites.map((suite) => ({ suite, mirror: suite.endsWith('-security') && d.security_mirror ? d.security_mirror : d.mirror }));
  return { ...r, suites };
}
