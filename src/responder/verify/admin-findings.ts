// SPDX-License-Identifier: GPL-3.0-or-later
// verify's findings for the evidence's dpkg statoverrides and diversions (judged in
// evidence/dpkg-admin.ts): each one that no trusted package makes is a finding of its own; an
// override that grants a set-id bit is critical. Accepted set-id overrides are information.
import { escapeName } from '../timeline/body.js';
import { grantsSetId, octal, type AdminVerdict } from '../evidence/dpkg-admin.js';
import { finding, type VerifyFinding } from './findings.js';

const shownPath = (p: string) => escapeName(Buffer.from(p));

export function adminFindings(v: AdminVerdict): { findings: VerifyFinding[]; notes: VerifyFinding[] } {
  const findings: VerifyFinding[] = [];
  for (const o of v.unknownOverrides) {
    const setid = grantsSetId(o.mode);
    const detail = `"${shownPath(o.owner)} ${shownPath(o.group)} ${octal(o.mode)}"${setid ? ': grants a set-id bit' : ''}; no trusted package makes this override, so it excuses nothing`;
    findings.push(finding('STATOVERRIDE', setid ? 'critical' : o.owner !== 'root' ? 'high' : 'medium', detail, { path: shownPath(o.path) }));
  }
  for (const d of v.unknownDiversions) {
    const local = d.by === ':';
    const detail = `diverted to ${shownPath(d.to)} ${local ? 'by a local administrator (dpkg-divert --local)' : `in the name of ${shownPath(d.by)}`}; no trusted package makes this diversion, so the packaged file is checked at its own path`;
    findings.push(finding('DIVERSION', 'high', detail, { path: shownPath(d.from) }));
  }
  const notes = v.setIdOverrides.map((o) => finding('SETID-OVERRIDE', 'info', `${o.owner} ${o.group} ${octal(o.mode)}, made by ${o.by}`, { path: o.path }));
  return { findings, notes };
}
