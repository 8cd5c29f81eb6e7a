// SPDX-License-Identifier: GPL-3.0-or-later
// Files in system directories that no package ships because maintainer scripts or triggers make
// them on the installed system. They cannot be checked against a package, so they are listed
// apart (as "generated", not as findings); `responder sweep` looks at what matters in them
// (e.g. the PAM modules the common-* files load). Kept as data, each entry with its origin.
export interface GeneratedPattern {
  pattern: RegExp;
  by: string;
}

export const GENERATED: GeneratedPattern[] = [
  { pattern: /^etc\/ld\.so\.cache$/, by: 'ldconfig (libc-bin trigger)' },
  { pattern: /^etc\/pam\.d\/common-(account|auth|password|session|session-noninteractive)$/, by: 'pam-auth-update (libpam-runtime) from /usr/share/pam-configs' },
  { pattern: /^(usr\/)?lib\/modules\/[^/]+\/modules\.[a-z.]+$/, by: 'depmod (kmod, kernel postinst)' },
  { pattern: /^usr\/lib\/locale\/locale-archive$/, by: 'localedef (locales)' },
  { pattern: /^(usr\/)?lib\/udev\/hwdb\.bin$|^etc\/udev\/hwdb\.bin$/, by: 'systemd-hwdb update (udev trigger)' },
  { pattern: /^usr\/lib\/python3[^/]*\/.*\/__pycache__\/[^/]+\.pyc$/, by: 'py3compile (python3 packages postinst)' },
  { pattern: /^usr\/lib\/[^/]+\/gconv\/gconv-modules\.cache$/, by: 'iconvconfig (libc6 postinst)' },
  { pattern: /^usr\/lib\/[^/]+\/gdk-pixbuf-2\.0\/[^/]+\/loaders\.cache$/, by: 'gdk-pixbuf-query-loaders (trigger)' },
  { pattern: /^usr\/lib\/[^/]+\/gio\/modules\/giomodule\.cache$/, by: 'gio-querymodules (trigger)' },
  { pattern: /^etc\/systemd\/system\/[^/]+\.wants\/[^/]+$/, by: 'deb-systemd-helper enable (a symlink; checked by its target)' },
  { pattern: /^etc\/security\/opasswd$/, by: 'libpam-modules postinst (touch /etc/security/opasswd)' },
  { pattern: /^usr\/local\/man$/, by: 'base-files postinst (ln -sf share/man /usr/local/man)' },
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
  return GENERATED.find((g) => g.pattern.test(rel))?.by;
}
