// SPDX-License-Identifier: GPL-3.0-or-later
// `responder verify ROOT`: the evidence's dpkg status says which package versions it claims; each
// is checked against a trusted reference (the image's database, or .debs that a signed index
// vouches for), never against the evidence's own md5sums. A version without a trusted reference
// is a finding (UNVERIFIABLE), never a silent pass.
import { ResponderError, UsageError } from '../lib/errors.js';
import { escapeText } from '../evidence/escape.js';
import { parseStatus, readDiversions, readStatOverrides, evidenceList } from '../evidence/dpkg.js';
import { judgeAdmin } from '../evidence/dpkg-admin.js';
import { adminFindings } from './admin-findings.js';
import { openEvidenceRoot, readEvidenceText } from '../evidence/root-path.js';
import { findReferences, loadIndex, loadPackages, packageKey, type ReferenceSource } from '../reference/load.js';
import { packagesFromDebs } from '../reference/debs.js';
import { checkPackage, hashAll, type CheckState } from './check-packages.js';
import { HashPool } from './hash-pool.js';
import { finding, KIND_ORDER, type VerifyFinding, type VerifyKind } from './findings.js';
import { findUnowned } from './unowned.js';
import type { WalkProblem } from '../evidence/walk.js';
import { fetchOnline, type OnlineOptions } from './online.js';

export interface VerifyOptions {
  root: string;
  references: string[];
  debs?: string;
  /** Fetch references for what is still missing from a Debian mirror (verify/online.ts). */
  online?: OnlineOptions;
  /** Announce a phase (stderr in the command; silent in tests). */
  say?: (line: string) => void;
  /** A progress display for counted work (packages checked). */
  progress?: (label: string, total: number) => { update(done: number): void; done(): void };
}

export interface VerifyReport {
  root: string;
  references: { database: string; suites: { suite: string; date: string; signedBy: string[] }[] }[];
  packages: { claimed: number; verified: number; unverifiable: number; fromDebs: number; fromMirror: number };
  mirror?: { url: string; suites: { suite: string; mirror: string; date: string; signedBy: string[] }[]; debsDownloaded: number };
  untrustedDebs: string[];
  files: { checked: number; bytesHashed: number; walked: number; linksToTrusted: number; pycVerified: number };
  generated: { path: string; by: string }[];
  /** What the unowned scan could not look at (unreadable, vanished, another file system, too deep). */
  walkProblems: WalkProblem[];
  /** Information, not findings (exit 0): set-id modes that a trusted override grants, generated files that cannot be checked. */
  notes: VerifyFinding[];
  counts: Partial<Record<VerifyKind, number>>;
  findings: VerifyFinding[];
  durationMs: number;
}

export async function runVerify(opts: VerifyOptions): Promise<VerifyReport> {
  const started = Date.now();
  const r = openEvidenceRoot(opts.root);
  const statusText = readEvidenceText(r, '/var/lib/dpkg/status');
  if (statusText === undefined) throw new ResponderError(`${opts.root}/var/lib/dpkg/status: not found; is ${opts.root} the root of a Debian system?`, 2);
  const claimed = parseStatus(statusText);
  const say = opts.say ?? (() => undefined);

  const sources: ReferenceSource[] = findReferences(opts.references);
  if (sources.length === 0 && !opts.online) {
    throw new UsageError(
      'no trusted reference: this is not the forensic image (no /usr/share/forensic-live/reference)',
      'give --reference DIR (NAME.reference/ next to the ISO), or --mirror URL with network',
    );
  }
  say(`verify: step 1 of 3: loading the trusted reference for ${claimed.length} claimed packages`);
  const wanted = new Set(claimed.map((c) => packageKey(c.name, c.version, c.arch)));
  const { found, versions } = await loadPackages(sources, wanted);
  let fromDebs = 0;
  let untrustedDebs: string[] = [];
  if (opts.debs) {
    const index = await loadIndex(sources);
    if (index.size === 0) throw new UsageError('--debs needs a reference with packages.idx.gz: the signed index that says which .debs can be trusted');
    const res = await packagesFromDebs(opts.debs, index, wanted, found);
    fromDebs = res.added.length;
    untrustedDebs = res.untrusted;
  }
  const online = opts.online ? await fetchOnline(opts.online, r, claimed, found) : undefined;

  const admin = judgeAdmin(readStatOverrides(r), readDiversions(r), new Set(claimed.map((c) => c.name)));
  const state: CheckState = {
    r,
    admin,
    owned: new Map(),
    findings: [],
    stats: { files: 0, bytesHashed: 0 },
    pool: new HashPool(),
  };
  const claimedBy = new Map<string, string>();
  let unverifiable = 0;
  say(`verify: step 2 of 3: checking ${claimed.length} packages`);
  const progress = opts.progress?.('packages', claimed.length);
  let n = 0;
  for (const c of claimed) {
    progress?.update(++n);
    const t = found.get(packageKey(c.name, c.version, c.arch));
    if (t) {
      checkPackage(state, c, t);
      continue;
    }
    unverifiable++;
    // Name, version and architecture are the evidence's words: escaped before they are shown.
    const label = escapeText(`${c.name} ${c.version} (${c.arch})`);
    const known = versions.get(c.name);
    const detail = known ? `the trusted reference has ${escapeText(c.name)} only in version(s) ${[...known].join(', ')}` : `${escapeText(c.name)} is not in the trusted reference`;
    const hint = online
      ? `nor in ${online.releases.map((x) => x.suite).join(', ')} at ${online.mirror} (a version the archive dropped: try --mirror with a snapshot.debian.org URL, or --debs DIR)`
      : "give its .deb with --debs DIR (checked against the signed index), --mirror URL, or extend the profile's reference";
    state.findings.push(finding('UNVERIFIABLE', 'high', `${detail}; ${hint}`, { package: label }));
    // Its files are still UNOWNED (nothing trusted ships them); say which package claims them.
    for (const p of evidenceList(r, c)) {
      const rel = r.locate(p);
      if (rel !== undefined) claimedBy.set(rel, label);
    }
  }
  progress?.done();
  say(`verify: step 3 of 3: hashing the last queued files, then looking for unowned files in system folders`);
  await hashAll(state);
  const unowned = findUnowned(r, state.owned, claimedBy);
  const dpkgAdmin = adminFindings(admin);
  const notes = [...dpkgAdmin.notes, ...unowned.notes];
  const findings = [...dpkgAdmin.findings, ...state.findings, ...unowned.findings].sort(
    (a, b) => KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || (a.path ?? a.package ?? '').localeCompare(b.path ?? b.package ?? ''),
  );
  const counts: Partial<Record<VerifyKind, number>> = {};
  for (const f of findings) counts[f.kind] = (counts[f.kind] ?? 0) + 1;
  return {
    root: opts.root,
    references: sources.map((s) => ({ database: s.db, suites: (s.manifest?.suites ?? []).map((x) => ({ suite: x.suite, date: x.date, signedBy: x.signedBy })) })),
    packages: { claimed: claimed.length, verified: claimed.length - unverifiable, unverifiable, fromDebs, fromMirror: online?.added.length ?? 0 },
    ...(online
      ? { mirror: { url: online.mirror, suites: online.releases.map((x) => ({ suite: x.suite, mirror: x.mirror, date: x.date, signedBy: x.signedBy })), debsDownloaded: online.downloaded } }
      : {}),
    untrustedDebs,
    files: { checked: state.stats.files, bytesHashed: state.stats.bytesHashed, walked: unowned.walked, linksToTrusted: unowned.linksToTrusted, pycVerified: unowned.pycVerified },
    generated: unowned.generated,
    walkProblems: unowned.problems,
    notes,
    counts,
    findings,
    durationMs: Date.now() - started,
  };
}
