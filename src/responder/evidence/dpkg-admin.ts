// SPDX-License-Identifier: GPL-3.0-or-later
// dpkg's administrative overrides in the evidence (statoverride, diversions) are evidence data:
// an intruder writes one line and a changed mode or a moved binary looks "as dpkg intended". So
// each override or diversion is judged here, never taken as an excuse: only those a trusted
// package's own maintainer script makes (listed below, each with its origin) are accepted, and
// even then an override that grants a set-id bit is reported as information. Shared by verify
// (which then checks the file against the accepted mode) and sweep.
import type { Diversion, StatOverride } from './dpkg.js';

export interface KnownOverride extends StatOverride {
  /** The package whose maintainer script adds it. */
  package: string;
  by: string;
}

export interface KnownDiversion extends Diversion {
  by: string;
  origin: string;
}

/**
 * Overrides that trusted Debian packages add themselves (bookworm). Nothing else is accepted.
 * Source: the packages' postinst scripts (dpkg-statoverride --update --add ...).
 */
export const KNOWN_OVERRIDES: KnownOverride[] = [
  {
    path: '/usr/lib/dbus-1.0/dbus-daemon-launch-helper',
    owner: 'root',
    group: 'messagebus',
    mode: 0o4754,
    package: 'dbus-daemon',
    by: 'dbus postinst (dpkg-statoverride --update --add root messagebus 4754)',
  },
  {
    path: '/usr/lib/dbus-1.0/dbus-daemon-launch-helper',
    owner: 'root',
    group: 'messagebus',
    mode: 0o4754,
    package: 'dbus',
    by: 'dbus postinst (dpkg-statoverride --update --add root messagebus 4754)',
  },
  { path: '/usr/bin/crontab', owner: 'root', group: 'crontab', mode: 0o2755, package: 'cron', by: 'cron postinst (dpkg-statoverride --update --add root crontab 2755)' },
];

/** Diversions that trusted packages add themselves (bookworm). */
export const KNOWN_DIVERSIONS: KnownDiversion[] = [
  { from: '/bin/sh', to: '/bin/sh.distrib', by: 'dash', origin: 'dash postinst (/bin/sh points to dash)' },
  { from: '/usr/share/man/man1/sh.1.gz', to: '/usr/share/man/man1/sh.distrib.1.gz', by: 'dash', origin: 'dash postinst (sh(1) is dash(1))' },
];

const SETID = 0o6000;
export const grantsSetId = (mode: number) => (mode & SETID) !== 0;

export interface AdminVerdict {
  /** Accepted overrides: path -> mode (verify expects this mode on disk). */
  acceptedModes: Map<string, number>;
  /** Accepted diversions: from -> the diversion (verify follows only these). */
  acceptedDiversions: Map<string, Diversion>;
  /** Overrides and diversions no trusted package makes: findings. */
  unknownOverrides: StatOverride[];
  unknownDiversions: Diversion[];
  /** Accepted overrides that grant set-id: information. */
  setIdOverrides: KnownOverride[];
}

/** Sort the evidence's overrides and diversions; `installed` holds the names of the packages claimed installed. */
export function judgeAdmin(overrides: StatOverride[], diversions: Diversion[], installed: Set<string>): AdminVerdict {
  const v: AdminVerdict = { acceptedModes: new Map(), acceptedDiversions: new Map(), unknownOverrides: [], unknownDiversions: [], setIdOverrides: [] };
  for (const o of overrides) {
    const known = KNOWN_OVERRIDES.find((k) => k.path === o.path && k.owner === o.owner && k.group === o.group && k.mode === o.mode && installed.has(k.package));
    if (!known) {
      v.unknownOverrides.push(o);
      continue;
    }
    v.acceptedModes.set(o.path, o.mode);
    if (grantsSetId(o.mode)) v.setIdOverrides.push(known);
  }
  for (const d of diversions) {
    const known = KNOWN_DIVERSIONS.find((k) => k.from === d.from && k.to === d.to && k.by === d.by && installed.has(d.by));
    if (known) v.acceptedDiversions.set(d.from, d);
    else v.unknownDiversions.push(d);
  }
  return v;
}

export const octal = (m: number) => '0' + m.toString(8).padStart(3, '0');
