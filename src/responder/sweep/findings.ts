// SPDX-License-Identifier: GPL-3.0-or-later
// What `responder sweep` reports: one indicator of persistence per finding, with its severity and
// the evidence path (canonical inside ROOT). `severity` and `title` follow the convention of
// `responder report`, so `sweep --json` in a case folder appears in the report.
import type { Severity } from '../verify/findings.js';
import { escapeName, shownText } from '../evidence/escape.js';
import { utf8Exact } from '../evidence/walk.js';

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

/**
 * `rel` as bytes from the walker or as a canonical string. A name that is not valid UTF-8 cannot
 * be in a trusted package (the reference is UTF-8), so it is never filtered as "shipped unchanged".
 */
export function candidate(indicator: Indicator, severity: Severity, title: string, rel: string | Buffer, detail: string, trustable = true): Candidate {
  const bytes = typeof rel === 'string' ? Buffer.from(rel) : rel;
  const exact = typeof rel === 'string' ? rel : utf8Exact(rel);
  const path = '/' + escapeName(bytes);
  return { indicator, severity, title, path, rel: exact ?? path, detail, trustable: trustable && exact !== undefined };
}

/** Text from the evidence, made safe for a terminal and a report (one line, escaped, bounded). */
export const shown = shownText;
