// SPDX-License-Identifier: GPL-3.0-or-later
// Files in system directories that no package ships because maintainer scripts or triggers make
// them on the installed system. Where what they must be is knowable they are checked (`check`:
// a reason when the file is not what its maker writes; compiled Python files: pyc.ts); the rest
// cannot be checked against a package and are listed as UNVERIFIABLE-GENERATED information,
// never dropped; `responder sweep` judges what matters in them (e.g. the PAM stacks of the
// common-* files). Kept as data, each entry with its origin. Enablement symlinks are not here:
// a link is accepted only when it ends at a trusted, unchanged file (unowned.ts).
import type { Stats } from 'node:fs';
import { readlinkSync } from 'node:fs';
import { readHead, type RootResolver } from '../evidence/root-path.js';
import type { Owned } from './check-packages.js';

export interface GeneratedContext {
  r: RootResolver;
  owned: Map<string, Owned>;
}

/** A reason unless the file at `abs` has the same bytes as `template`, a trusted and unchanged file of the evidence. */
function sameAs(template: string): (st: Stats, abs: string, c: GeneratedContext) => string | undefined {
  return (st, abs, c) => {
    const rel = c.r.locate(template);
    const t = rel === undefined ? undefined : c.owned.get(rel);
    if (!st.isFile()) return 'not a regular file';
    if (!t?.ok || t.size !== st.size) return `differs from the trusted template ${template}`;
    try {
      return readHead(abs, st.size).equals(readHead(c.r.abs(rel!), st.size)) ? undefined : `differs from the trusted template ${template}`;
    } catch (err) {
      return `unreadable: ${(err as Error).message}`;
    }
  };
}

export interface GeneratedPattern {
  pattern: RegExp;
  by: string;
  /** What the maker writes, when knowable: a reason when this file is not that. */
  check?: (st: Stats, abs: string, c: GeneratedContext) => string | undefined;
  /** Configuration an administrator may change: a mismatch is MODIFIED-CONFFILE (sweep judges what it does). */
  config?: boolean;
}

export const GENERATED: GeneratedPattern[] = [
  { pattern: /^etc\/ld\.so\.cache$/, by: 'ldconfig (libc-bin trigger)' },
  { pattern: /^etc\/pam\.d\/common-(account|auth|password|session|session-noninteractive)$/, by: 'pam-auth-update (libpam-runtime) from /usr/share/pam-configs' },
  { pattern: /^(usr\/)?lib\/modules\/[^/]+\/modules\.(alias|alias\.bin|builtin\.alias\.bin|builtin\.bin|dep|dep\.bin|devname|softdep|symbols|symbols\.bin)$/, by: 'depmod (kmod, kernel postinst)' },
  { pattern: /^usr\/lib\/locale\/locale-archive$/, by: 'localedef (locales)' },
  { pattern: /^(usr\/)?lib\/udev\/hwdb\.bin$|^etc\/udev\/hwdb\.bin$/, by: 'systemd-hwdb update (udev trigger)' },
  { pattern: /^usr\/lib\/[^/]+\/gconv\/gconv-modules\.cache$/, by: 'iconvconfig (libc6 postinst)' },
  { pattern: /^usr\/lib\/[^/]+\/gdk-pixbuf-2\.0\/[^/]+\/loaders\.cache$/, by: 'gdk-pixbuf-query-loaders (trigger)' },
  { pattern: /^usr\/lib\/[^/]+\/gio\/modules\/giomodule\.cache$/, by: 'gio-querymodules (trigger)' },
  { pattern: /^etc\/ssh\/ssh_host_(rsa|ecdsa|ed25519)_key(\.pub)?$/, by: 'openssh-server postinst (ssh-keygen -A)', check: (st) => (st.isFile() ? undefined : 'not a regular file') },
  { pattern: /^etc\/ssh\/sshd_config$/, by: 'openssh-server postinst (ucf from /usr/share/openssh/sshd_config)', check: sameAs('/usr/share/openssh/sshd_config'), config: true },
  { pattern: /^etc\/profile$/, by: 'base-files postinst (from /usr/share/base-files/profile)', check: sameAs('/usr/share/base-files/profile'), config: true },
  {
    pattern: /^etc\/environment$/,
    by: 'libpam-modules postinst (an empty /etc/environment)',
    check: (st) => (st.isFile() && st.size === 0 ? undefined : 'pam_env reads it into every session; the package makes it empty'),
    config: true,
  },
  {
    pattern: /^etc\/security\/opasswd$/,
    by: 'libpam-modules postinst (touch /etc/security/opasswd)',
    check: (st) => (st.isFile() ? undefined : 'not a regular file'),
  },
  {
    pattern: /^usr\/local\/man$/,
    by: 'base-files postinst (ln -sf share/man /usr/local/man)',
    check: (st, abs) => (st.isSymbolicLink() && readlinkSync(abs, 'utf8') === 'share/man' ? undefined : 'base-files makes a symlink to share/man'),
  },
];

/**
 * Modes that a trusted package's own maintainer script sets after unpacking (so the .deb's mode
 * differs from the installed one by design). Only the mode is excused: the content must still
 * match the trusted package.
 */
export const SCRIPT_MODES: { path: string; mode: number; by: string }[] = [
  { path: '/usr/bin/ssh-agent', mode: 0o2755, by: 'openssh-client postinst (chgrp _ssh; chmod 2755, unless a statoverride exists)' },
  { path: '/etc/sudoers', mode: 0o440, by: 'sudo postinst (chmod 440 /etc/sudoers)' },
];

export function generatedBy(rel: string): string | undefined {
  return generatedPattern(rel)?.by;
}

export function generatedPattern(rel: string): GeneratedPattern | undefined {
  return GENERATED.find((g) => g.pattern.test(rel));
}
