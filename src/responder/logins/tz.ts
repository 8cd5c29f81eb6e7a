// SPDX-License-Identifier: GPL-3.0-or-later
// Traditional syslog lines carry local wall-clock time without a year or an offset. They are
// converted with the evidence's own time zone (its /etc/timezone, or the zone /etc/localtime links
// to), through the live system's ICU tables, or with --timezone; UTC when neither is known.
import type { RootResolver } from '../evidence/root-path.js';
import { readEvidenceText } from '../evidence/root-path.js';
import { readlinkSync } from 'node:fs';

/** Is `zone` an IANA zone name the runtime knows? */
export function validZone(zone: string): boolean {
  if (!/^[A-Za-z0-9_+\-/]{1,64}$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The evidence's configured zone, or undefined. */
export function evidenceZone(r: RootResolver): string | undefined {
  const text = readEvidenceText(r, '/etc/timezone', 256)?.trim();
  if (text && validZone(text)) return text;
  const rel = r.locate('/etc/localtime');
  if (rel === undefined) return undefined;
  try {
    const target = readlinkSync(r.abs(rel), 'utf8');
    const m = /zoneinfo\/(.+)$/.exec(target);
    if (m && validZone(m[1]!)) return m[1];
  } catch {
    /* not a link: a copied TZif file, zone unknown */
  }
  return undefined;
}

/** Offset of `zone` from UTC at the instant `ms`, in milliseconds. */
function offsetAt(zone: string, ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return local - Math.floor(ms / 1000) * 1000;
}

/** Unix milliseconds of a wall-clock time in `zone` (UTC when zone is "UTC"). */
export function wallClockToUtc(zone: string, y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const asUtc = Date.UTC(y, mo, d, h, mi, s);
  if (zone === 'UTC') return asUtc;
  let guess = asUtc - offsetAt(zone, asUtc);
  guess = asUtc - offsetAt(zone, guess);
  return guess;
}
