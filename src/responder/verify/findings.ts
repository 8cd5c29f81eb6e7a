// SPDX-License-Identifier: GPL-3.0-or-later
// What `responder verify` reports. Each finding also carries `severity` and `title`, so a
// `verify --json` file in a case folder shows up in `responder report` as it is.
export type VerifyKind =
  | 'MODIFIED'
  | 'MODIFIED-CONFFILE'
  | 'MISSING'
  | 'MISSING-CONFFILE'
  | 'TAMPERED-DB'
  | 'UNVERIFIABLE'
  | 'UNOWNED'
  | 'STATOVERRIDE'
  | 'DIVERSION'
  | 'UNVERIFIABLE-GENERATED'
  | 'SETID-OVERRIDE';
export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info';

export interface VerifyFinding {
  kind: VerifyKind;
  severity: Severity;
  title: string;
  /** Path inside the evidence (as the package names it; escaped when it came from the evidence). */
  path?: string;
  /** "name version (arch)" of the package concerned. */
  package?: string;
  detail: string;
}

/** Order of the text report: the most telling first; conffiles (expected to change) last. */
export const KIND_ORDER: VerifyKind[] = [
  'TAMPERED-DB',
  'STATOVERRIDE',
  'DIVERSION',
  'MODIFIED',
  'MISSING',
  'UNOWNED',
  'UNVERIFIABLE',
  'MODIFIED-CONFFILE',
  'MISSING-CONFFILE',
  'SETID-OVERRIDE',
  'UNVERIFIABLE-GENERATED',
];

export const TITLES: Record<VerifyKind, string> = {
  MODIFIED: 'packaged file differs from the trusted package',
  'MODIFIED-CONFFILE': 'configuration file changed (conffile; expected to change, review it)',
  MISSING: 'packaged file is missing',
  'MISSING-CONFFILE': 'configuration file removed (conffile)',
  'TAMPERED-DB': "evidence's dpkg database disagrees with the trusted package",
  UNVERIFIABLE: 'no trusted reference for this package version',
  UNOWNED: 'file in a system directory that no trusted package ships',
  STATOVERRIDE: "dpkg statoverride that no trusted package makes (the evidence's own excuse for a mode)",
  DIVERSION: 'dpkg diversion that no trusted package makes (a packaged file moved aside)',
  'UNVERIFIABLE-GENERATED': 'file made on the system by a package script: cannot be checked against a package (information)',
  'SETID-OVERRIDE': 'set-id mode granted by a statoverride that a trusted package makes (information)',
};

export function finding(kind: VerifyKind, severity: Severity, detail: string, extra: { path?: string; package?: string } = {}): VerifyFinding {
  return { kind, severity, title: `${kind}: ${TITLES[kind]}`, ...extra, detail };
}
