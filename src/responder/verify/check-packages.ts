// SPDX-License-Identifier: GPL-3.0-or-later
// One installed package against its trusted reference: every file it ships is looked up in the
// evidence (inside ROOT only), compared by type, size, sha256 (streamed) and mode, symlinks by
// their target text (never followed); then the evidence's own md5sums and status Conffiles are
// compared with what the trusted package says, which is the case `debsums --root` cannot see.
import type { ClaimedPackage } from '../evidence/dpkg.js';
import type { AdminVerdict } from '../evidence/dpkg-admin.js';
import { escapeText } from '../evidence/escape.js';
import { evidenceMd5sums } from '../evidence/dpkg.js';
import type { RootResolver } from '../evidence/root-path.js';
import type { HashPool } from './hash-pool.js';
import type { TrustedPackage } from '../reference/load.js';
import { readlinkSync } from 'node:fs';
import { finding, type VerifyFinding } from './findings.js';
import { SCRIPT_MODES } from './generated.js';

const scriptMode = new Map(SCRIPT_MODES.map((m) => [m.path, m.mode]));

export interface Owned {
  package: string;
  /** The file matched the trusted package exactly. */
  ok: boolean;
  /** The trusted size of a regular file (a pyc's header is checked against it). */
  size?: number;
}

export interface CheckState {
  r: RootResolver;
  /** The evidence's statoverrides and diversions, judged: only those trusted packages make are followed. */
  admin: AdminVerdict;
  /** Canonical relative path in the evidence -> the trusted package that ships it. */
  owned: Map<string, Owned>;
  findings: VerifyFinding[];
  stats: { files: number; bytesHashed: number };
  /** Content checks: the files are hashed on worker threads while the lookups go on. */
  pool: HashPool;
}

/** Wait for every queued content check. */
export async function hashAll(s: CheckState): Promise<void> {
  await s.pool.drain();
}

const oct = (m: number) => '0' + m.toString(8).padStart(3, '0');
const short = (h: string) => h.slice(0, 16) + '…';

export function checkPackage(s: CheckState, claimed: ClaimedPackage, t: TrustedPackage): void {
  const label = `${claimed.name} ${claimed.version} (${claimed.arch})`;
  const add = (f: VerifyFinding) => s.findings.push(f);
  /** Where this package's file really is: a diversion by another package moves it away. */
  const where = (p: string) => {
    const d = s.admin.acceptedDiversions.get(p);
    return d && d.by !== claimed.name ? d.to : p;
  };

  for (const f of t.files) {
    const p = where(f.path);
    const rel = s.r.locate(p);
    const st = rel === undefined ? undefined : s.r.lstat(rel);
    if (rel === undefined || !st) {
      add(finding(f.conffile ? 'MISSING-CONFFILE' : 'MISSING', f.conffile ? 'low' : 'medium', `shipped by ${label}, not found`, { path: p, package: label }));
      continue;
    }
    s.stats.files++;
    const problems: string[] = [];
    const conf = f.conffile;
    const report = () => {
      s.owned.set(rel, { package: label, ok: problems.length === 0, size: f.size });
      if (!problems.length) return;
      const severity = conf ? 'low' : /^(usr\/)?(s?bin|lib[^/]*)\//.test(rel) ? 'critical' : 'high';
      add(finding(conf ? 'MODIFIED-CONFFILE' : 'MODIFIED', severity, `${problems.join('; ')} (${label})`, { path: p, package: label }));
    };
    if (!st.isFile()) problems.push(`is ${st.isSymbolicLink() ? 'a symlink' : st.isDirectory() ? 'a directory' : 'not a regular file'}, the package ships a regular file`);
    else if (st.size !== f.size) problems.push(`size ${st.size}, trusted ${f.size}`);
    const mode = st.mode & 0o7777;
    // Only a trusted package's own override or script excuses another mode (dpkg-admin.ts).
    const accepted = s.admin.acceptedModes.get(f.path);
    if (st.isFile() && mode !== f.mode && accepted !== mode && scriptMode.get(f.path) !== mode) problems.push(`mode ${oct(mode)}, trusted ${oct(f.mode)}`);
    // Debian ships every file owned by root; another owner comes from an override or an intruder.
    if (st.uid !== 0 && accepted === undefined) problems.push(`owner uid ${st.uid}, trusted root`);
    if (!st.isFile() || st.size !== f.size) {
      report();
      continue;
    }
    // Same size: the content decides. Until the hash is in, the file counts as owned but not ok.
    s.owned.set(rel, { package: label, ok: false, size: f.size });
    s.pool.add(s.r.abs(rel), st.size, ({ sha256, error }) => {
      if (error !== undefined) problems.push(`unreadable: ${error}`);
      else {
        s.stats.bytesHashed += st.size;
        if (sha256 !== f.sha256) problems.push(`sha256 ${short(sha256!)}, trusted ${short(f.sha256)}`);
      }
      report();
    });
  }

  for (const l of t.links) {
    const p = where(l.path);
    const rel = s.r.locate(p);
    const st = rel === undefined ? undefined : s.r.lstat(rel);
    if (rel === undefined || !st) {
      add(finding('MISSING', 'medium', `symlink shipped by ${label}, not found`, { path: p, package: label }));
      continue;
    }
    s.stats.files++;
    let problem: string | undefined;
    if (!st.isSymbolicLink()) problem = `is ${st.isFile() ? 'a regular file' : st.isDirectory() ? 'a directory' : 'not a symlink'}, the package ships a symlink to ${l.target}`;
    else {
      const target = readlinkSync(s.r.abs(rel), 'utf8');
      if (target !== l.target) problem = `points to ${target}, trusted ${l.target}`;
    }
    s.owned.set(rel, { package: label, ok: problem === undefined });
    if (problem) add(finding('MODIFIED', 'high', `${problem} (${label})`, { path: p, package: label }));
  }

  checkDatabase(s, claimed, t, label);
}

/** The evidence's md5sums and status Conffiles against the trusted package's own. */
function checkDatabase(s: CheckState, claimed: ClaimedPackage, t: TrustedPackage, label: string): void {
  // Paths and sums here come from the evidence's own files: escaped like every evidence string.
  const add = (detail: string, p?: string) =>
    s.findings.push(finding('TAMPERED-DB', 'critical', escapeText(`${detail} (${label})`), { path: p === undefined ? undefined : escapeText(p), package: label }));
  const trusted = new Map<string, string>();
  for (const f of t.files) if (f.md5sums !== undefined) trusted.set(f.path, f.md5sums);
  for (const [p, m] of t.extraMd5sums) trusted.set(p, m);
  const ev = evidenceMd5sums(s.r, claimed);
  if (ev === undefined) {
    if (trusted.size) add(`the evidence has no md5sums file for this package; the trusted package has ${trusted.size} lines`);
  } else {
    for (const [p, m] of ev) {
      const want = trusted.get(p);
      if (want === undefined) add(`the evidence's md5sums lists ${p}, which the trusted package's md5sums does not`, p);
      else if (want !== m) add(`the evidence's md5sums says ${m}, the trusted package says ${want}`, p);
    }
    for (const p of trusted.keys()) if (!ev.has(p)) add(`the evidence's md5sums has no line for ${p}`, p);
  }
  const conf = new Map(t.files.filter((f) => f.conffile).map((f) => [f.path, f.md5]));
  for (const c of claimed.conffiles) {
    if (c.flags.includes('obsolete') || c.flags.includes('remove-on-upgrade') || c.md5 === 'newconffile') continue;
    const want = conf.get(c.path);
    if (want === undefined) {
      if (!t.unshippedConffiles.includes(c.path)) add(`the evidence's status lists conffile ${c.path}, which the trusted package does not ship`, c.path);
    } else if (want !== c.md5) add(`the evidence's status says conffile md5 ${c.md5}, the trusted package ships ${want}`, c.path);
  }
}
