// SPDX-License-Identifier: GPL-3.0-or-later
/** One preflight finding: what was checked, how it went, and for anything not ok, the one-line fix. */
export interface CheckResult {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}
