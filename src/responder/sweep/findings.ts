// SPDX-License-Identifier: GPL-3.0-or-later
// What `responder sweep` reports: one indicator of persistence per finding, with its severity and
// the evidence path (canonical inside ROOT). `severity` and `title` follow the convention of
// `responder report`, so `sweep --json` in a case folder appears in the report.
import type { Severity } from '../verify/findings.js';
import { escapeName } from '../timeline/body.js';

export type Indicator =
  | 'preload'
  | 'cron'
  | 'systemd'
  | 'init'
  | 'authorized-keys'
  | 'sudoers'
  | 'pam'
  | 'account'
  | 'suid'
  | 'world-writable'
  | 'kernel-module'
  | 'tmp-executable'
  | 'hidden'
  | 'known-rootkit'
  | 'dpkg-override'
  | 'capability'
  | 'sshd'
  | 'shell-startup'
  | 'udev'
  | 'apt-hook'
  | 'modprobe'
  | 'motd'
  | 'loader-config'
  | 'unexamined';

export interface SweepFinding {
  indicator: Indicator;
  severity: Severity;
  title: string;
  path: string;
  detail: string;
}

/** A candidate finding; `trustable` ones are dropped when a trusted package ships the path unchanged. */
export interface Candidate extends SweepFinding {
  /** Canonical relative path in ROOT (no leading slash). */
  rel: string;
  trustable: boolean;
  /** A file the system makes by copying a packaged template: dropped when it equals that trusted, unchanged file. */
  template?: string;
}

export const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];

export function candidate(indicator: Indicator, severity: Severity, title: string, rel: string, detail: string, trustable = true): Candidate {
  return { indicator, severity, title, path: '/' + escapeName(Buffer.from(rel)), rel, detail, trustable };
}

/** Text from the evidence, made safe for a terminal and a report (one line, escaped, bounded). */
export function shown(text: string, max = 200): string {
  const one = escapeName(Buffer.from(text.trim()));
  return one.length > max ? one.slice(0, max) + '…' : one;
}
