// SPDX-License-Identifier: GPL-3.0-or-later
// With a trusted reference, a sweep candidate that a trusted package ships unchanged is not
// reported: the item itself must equal what the package ships (content hash, mode, owner root,
// or the same symlink target); the evidence's own statoverrides excuse a mode only when a trusted
// package makes them (evidence/dpkg-admin.ts). A symlink whose chain ends, inside ROOT, at such a
// file (systemd enablement links, rc?.d links) is not reported either. A folder is filtered only
// when trusted packages put files in it, and never for what its mode grants (world-writable
// folders are not trustable candidates). The reference is streamed once, keeping only the paths
// of the candidates.
import { readlinkSync } from 'node:fs';
import { parseStatus, readDiversions, readStatOverrides } from '../evidence/dpkg.js';
import { judgeAdmin } from '../evidence/dpkg-admin.js';
import { readEvidenceText } from '../evidence/root-path.js';
import { readHead, sha256File, type RootResolver } from '../evidence/root-path.js';
import { scanReference, type ReferenceSource } from '../reference/load.js';
import { SCRIPT_MODES } from '../verify/generated.js';
import type { Candidate } from './findings.js';

interface Shipped {
  files: { sha256: string; mode: number; path: string }[];
  links: string[];
}

export async function shippedUnchanged(r: RootResolver, sources: ReferenceSource[], candidates: Candidate[]): Promise<Set<string>> {
  const wanted = new Map<string, string | undefined>();
  for (const c of candidates) {
    if (!c.trustable) continue;
    const st = r.lstat(c.rel);
    wanted.set(c.rel, st?.isSymbolicLink() ? r.resolveFully(c.rel) : undefined);
  }
  const templates = new Map<string, string>();
  for (const c of candidates) {
    const t = c.trustable && c.template !== undefined ? r.locate(c.template) : undefined;
    if (t !== undefined) templates.set(c.rel, t);
  }
  const paths = new Set<string>(templates.values());
  for (const [rel, full] of wanted) {
    paths.add(rel);
    if (full !== undefined) paths.add(full);
  }
  // Folders are not in the reference; a folder is shipped when a trusted package puts files in it.
  const dirs = new Set([...wanted.keys()].filter((rel) => r.lstat(rel)?.isDirectory()));
  const shippedDirs = new Set<string>();
  const shipped = new Map<string, Shipped>();
  for (const src of sources) {
    for await (const { rec } of scanReference(src)) {
      if (rec.kind !== 'F' && rec.kind !== 'L') continue;
      const rel = r.locate(rec.path);
      if (rel === undefined) continue;
      if (dirs.size) for (let i = rel.lastIndexOf('/'); i > 0; i = rel.lastIndexOf('/', i - 1)) if (dirs.has(rel.slice(0, i))) shippedDirs.add(rel.slice(0, i));
      if (!paths.has(rel)) continue;
      const s = shipped.get(rel) ?? shipped.set(rel, { files: [], links: [] }).get(rel)!;
      if (rec.kind === 'F') s.files.push({ sha256: rec.sha256, mode: rec.mode, path: rec.path });
      else s.links.push(rec.target);
    }
  }
  const installed = new Set(parseStatus(readEvidenceText(r, '/var/lib/dpkg/status') ?? '').map((p) => p.name));
  const accepted = judgeAdmin(readStatOverrides(r), readDiversions(r), installed).acceptedModes;
  const scriptMode = new Map(SCRIPT_MODES.map((m) => [m.path, m.mode]));
  const memo = new Map<string, boolean>();
  const unchanged = (rel: string): boolean => {
    const hit = memo.get(rel);
    if (hit !== undefined) return hit;
    const s = shipped.get(rel);
    const st = r.lstat(rel);
    let ok = false;
    if (s && st?.isFile()) {
      const mode = st.mode & 0o7777;
      const candidates = s.files.filter((f) => f.mode === mode || accepted.get(f.path) === mode || scriptMode.get(f.path) === mode);
      if (candidates.length && (st.uid === 0 || candidates.some((f) => accepted.has(f.path)))) {
        try {
          const sha = sha256File(r.abs(rel));
          ok = candidates.some((f) => f.sha256 === sha);
        } catch {
          ok = false;
        }
      }
    } else if (s && st?.isSymbolicLink()) {
      ok = s.links.includes(readlinkSync(r.abs(rel), 'utf8'));
    }
    memo.set(rel, ok);
    return ok;
  };
  const trusted = new Set<string>();
  for (const [rel, tpl] of templates) if (unchanged(tpl) && sameBytes(r, rel, tpl)) trusted.add(rel);
  for (const [rel, full] of wanted) {
    if (shippedDirs.has(rel) || unchanged(rel) || (full !== undefined && unchanged(full))) trusted.add(rel);
  }
  return trusted;
}

/** Two regular files of the evidence with the same bytes (templates are small configuration files). */
function sameBytes(r: RootResolver, a: string, b: string): boolean {
  const sa = r.lstat(a);
  const sb = r.lstat(b);
  if (!sa?.isFile() || !sb?.isFile() || sa.size !== sb.size || sa.size > 1 << 20) return false;
  try {
    return readHead(r.abs(a), sa.size).equals(readHead(r.abs(b), sb.size));
  } catch {
    return false;
  }
}
