// SPDX-License-Identifier: GPL-3.0-or-later
// Which suites `verify --mirror` reads, and from where: --suite when given; otherwise the
// evidence's own release (VERSION_CODENAME of /etc/os-release) with its -updates and -security
// suites, as a Debian system's sources.list usually has them. The evidence only chooses where to
// look: a package version is trusted only when a signed index lists it with the .deb's hash.
import { ResponderError } from '../lib/errors.js';

export interface MirrorSuite {
  suite: string;
  mirror: string;
}

/** VERSION_CODENAME from os-release text ("bookworm"), or undefined. */
export function codenameOf(osRelease: string | undefined): string | undefined {
  const m = /^VERSION_CODENAME=["']?([a-z][a-z0-9-]*)["']?\s*$/m.exec(osRelease ?? '');
  return m?.[1];
}

/** deb.debian.org/debian -> deb.debian.org/debian-security; any other mirror serves both. */
export function defaultSecurityMirror(mirror: string): string {
  return /\/debian\/?$/.test(mirror) ? mirror.replace(/\/debian\/?$/, '/debian-security') : mirror;
}

export function mirrorSuites(opts: { mirror: string; securityMirror?: string; suites: string[]; codename?: string }): MirrorSuite[] {
  const mirror = opts.mirror.replace(/\/+$/, '');
  const security = (opts.securityMirror ?? defaultSecurityMirror(mirror)).replace(/\/+$/, '');
  let names = opts.suites;
  if (names.length === 0) {
    if (!opts.codename)
      throw new ResponderError('--mirror: the evidence has no VERSION_CODENAME in /etc/os-release; say which suites to read with --suite (e.g. --suite bookworm --suite bookworm-security)', 2);
    names = [opts.codename, `${opts.codename}-updates`, `${opts.codename}-security`];
  }
  for (const n of names) if (!/^[a-z][a-z0-9.-]*(\/updates)?$/.test(n)) throw new ResponderError(`--suite ${n}: not a suite name`, 2);
  return names.map((suite) => ({ suite, mirror: /-security$|\/updates$/.test(suite) ? security : mirror }));
}
