// SPDX-License-Identifier: GPL-3.0-or-later
// The one place this module escapes evidence strings (user names, hosts, log messages) before
// they reach a terminal, a body file or a report: the timeline's reversible escaper ("|", "\",
// control bytes, invalid UTF-8, C1 controls and bidi overrides become \xHH).
import { escapeName } from '../timeline/body.js';

export function escapeEvidence(raw: Buffer | string): string {
  return escapeName(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw);
}
