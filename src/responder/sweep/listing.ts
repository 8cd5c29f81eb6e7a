// SPDX-License-Identifier: GPL-3.0-or-later
// Listing the persistence folders of the evidence (etc/profile.d, etc/update-motd.d,
// etc/ssh/sshd_config.d, cron, systemd, PAM, ...) for config.ts and places.ts. Built on the
// evidence walker (evidence/walk.ts): names are bytes, links are never followed, the walk never
// leaves ROOT, and what it cannot read is a WalkProblem. A name that is not valid UTF-8 cannot be
// a string path, so it becomes a finding of its own (escaped): a readdir in utf8 would turn it into
// U+FFFD and the file would then be skipped in silence, which is how an intruder hides a motd
// script or an sshd drop-in.
import type { RootResolver } from '../evidence/root-path.js';
import { isDir, isLink, utf8Exact, walkEvidence, type WalkEntry, type WalkProblem } from '../evidence/walk.js';
import { candidate, type Candidate } from './findings.js';

/** What the listings could not use: problems, and names that are not UTF-8 (findings). */
export interface Listing {
  problems: WalkProblem[];
  odd: Candidate[];
}

export const newListing = (): Listing => ({ problems: [], odd: [] });

function oddName(ctx: Listing, p: string, e: WalkEntry): void {
  const what = isDir(e.stat) ? 'folder' : isLink(e.stat) ? 'symlink' : `${e.stat.size} bytes`;
  ctx.odd.push(candidate('hidden', 'high', `name that is not valid UTF-8 in ${p}`, e.rel, `${what}, mode ${'0' + (Number(e.stat.mode) & 0o7777).toString(8)}`, false));
}

/**
 * Non-directory entries below a folder of the evidence (`p` absolute inside ROOT, links on the way
 * followed inside ROOT), canonical relative paths. `depth` 0: the folder's own entries only (the
 * system reads no subfolders there).
 */
export function filesBelow(r: RootResolver, ctx: Listing, p: string, depth = 8): string[] {
  const top = r.resolveDir(p);
  if (top === undefined) return [];
  const out: string[] = [];
  walkEvidence(r.root, {
    start: top,
    maxDepth: depth + 1,
    enter: () => depth > 0,
    onProblem: (x) => ctx.problems.push(x),
    onEntry(e) {
      if (isDir(e.stat)) return;
      const rel = utf8Exact(e.rel);
      if (rel !== undefined) out.push(rel);
      else oddName(ctx, p, e);
    },
  });
  return out;
}

/** Non-directory entries directly in a folder of the evidence. */
export const filesIn = (r: RootResolver, ctx: Listing, p: string): string[] => filesBelow(r, ctx, p, 0);

/** Names (not paths) of every entry directly in a folder of the evidence: files, folders, links. */
export function filesOrDirsIn(r: RootResolver, ctx: Listing, p: string): string[] {
  const top = r.resolveDir(p);
  if (top === undefined) return [];
  const out: string[] = [];
  walkEvidence(r.root, {
    start: top,
    enter: () => false,
    onProblem: (x) => ctx.problems.push(x),
    onEntry(e) {
      const name = utf8Exact(e.name);
      if (name !== undefined) out.push(name);
      else oddName(ctx, p, e);
    },
  });
  return out;
}

/** Canonical relative path of `p` when something (of any kind) is there; the last component is not followed. */
export function existing(r: RootResolver, p: string): string | undefined {
  const rel = r.locate(p);
  return rel !== undefined && r.lstat(rel) ? rel : undefined;
}
