// SPDX-License-Identifier: GPL-3.0-or-later
// `responder sweep ROOT`: collect the persistence indicators (config.ts, walk.ts), then drop those
// a trusted package ships unchanged (trusted.ts), when a reference is available.
import { openEvidenceRoot } from '../evidence/root-path.js';
import { findReferences } from '../reference/load.js';
import { configCandidates } from './config.js';
import { newListing } from './listing.js';
import { capabilityCandidates } from './capabilities.js';
import type { WalkProblem } from '../evidence/walk.js';
import { SEVERITY_ORDER, type SweepFinding } from './findings.js';
import { shippedUnchanged } from './trusted.js';
import { walkTree } from './walk.js';

export interface SweepReport {
  root: string;
  references: string[];
  /** Candidates dropped because a trusted package ships them unchanged. */
  shippedUnchanged: number;
  entriesWalked: number;
  /** What the walks could not look at (unreadable, vanished, another file system, too deep): the sweep is incomplete there. */
  walkProblems: WalkProblem[];
  counts: Record<string, number>;
  findings: SweepFinding[];
  durationMs: number;
}

export async function runSweep(opts: { root: string; references: string[]; noReference?: boolean; say?: (line: string) => void }): Promise<SweepReport> {
  const started = Date.now();
  const say = opts.say ?? (() => undefined);
  const r = openEvidenceRoot(opts.root);
  const sources = opts.noReference ? [] : findReferences(opts.references);
  const ctx = newListing();
  say('sweep: step 1 of 3: walking the tree (hidden, SUID/SGID, world-writable, rootkit paths)');
  const walked = walkTree(r, ctx.problems);
  say(`sweep: step 2 of 3: reading persistence places (preload, cron, systemd, init, shells, ssh, accounts); ${walked.entries} entries walked`);
  const config = configCandidates(r, ctx);
  const all = [...config, ...walked.candidates, ...(await capabilityCandidates(r))];
  // One finding per indicator and path (a file can be both hidden and SUID: two findings).
  const unique = [...new Map(all.map((c) => [`${c.indicator}\t${c.rel}\t${c.title}\t${c.detail}`, c])).values()];
  say(sources.length ? `sweep: step 3 of 3: comparing ${unique.length} candidates with the trusted reference` : `sweep: step 3 of 3: no trusted reference: keeping all ${unique.length} candidates`);
  const trusted = sources.length ? await shippedUnchanged(r, sources, unique) : new Set<string>();
  const kept = unique.filter((c) => !(c.trustable && trusted.has(c.rel)));
  const findings: SweepFinding[] = kept
    .map(({ indicator, severity, title, path, detail }) => ({ indicator, severity, title, path, detail }))
    .sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.indicator.localeCompare(b.indicator) || a.path.localeCompare(b.path));
  const counts: Record<string, number> = {};
  for (const f of findings) counts[f.severity] = (counts[f.severity] ?? 0) + 1;
  return {
    root: opts.root,
    references: sources.map((s) => s.db),
    shippedUnchanged: unique.length - kept.length,
    entriesWalked: walked.entries,
    walkProblems: uniqueProblems(walked.problems),
    counts,
    findings,
    durationMs: Date.now() - started,
  };
}

/** The config walks and the whole-tree walk can meet the same entry: report it once. */
function uniqueProblems(list: WalkProblem[]): WalkProblem[] {
  return [...new Map(list.map((p) => [`${p.kind}\t${p.path}`, p])).values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
