// SPDX-License-Identifier: GPL-3.0-or-later
// The evidence's own dpkg database, read as claims, never as truth: /var/lib/dpkg/status says
// which package versions are installed (that is all verify takes from it), and its md5sums,
// Conffiles, diversions and statoverrides are compared against the trusted reference. All of it
// is attacker-controlled text, so the parsers are small, bounded and never throw on odd input
// (deb822 itself: shared/debian/deb822.ts, the project's one parser).
import { parseMd5sums } from '../../shared/debian/deb.js';
import { parseDeb822 } from '../../shared/debian/deb822.js';
import { readEvidenceText, type RootResolver } from './root-path.js';

export interface ClaimedConffile {
  path: string;
  md5: string;
  /** "obsolete", "remove-on-upgrade": not expected to match this version. */
  flags: string[];
}

export interface ClaimedPackage {
  name: string;
  version: string;
  arch: string;
  /** dpkg's state word: installed, unpacked, half-configured, ... */
  state: string;
  multiArch: string;
  conffiles: ClaimedConffile[];
}

/** States in which a package's files are on disk. */
const UNPACKED_STATES = new Set(['installed', 'unpacked', 'half-configured', 'triggers-awaited', 'triggers-pending', 'half-installed']);

export function parseStatus(text: string): ClaimedPackage[] {
  const out: ClaimedPackage[] = [];
  for (const p of parseDeb822(text)) {
    const state = (p.get('status') ?? '').split(/\s+/)[2] ?? '';
    if (!UNPACKED_STATES.has(state)) continue;
    const name = p.get('package');
    const version = p.get('version');
    if (!name || !version) continue;
    const conffiles: ClaimedConffile[] = [];
    for (const line of (p.get('conffiles') ?? '').split('\n')) {
      const [cpath, md5, ...flags] = line.trim().split(/\s+/);
      if (cpath?.startsWith('/') && md5) conffiles.push({ path: cpath, md5, flags });
    }
    out.push({ name, version, arch: p.get('architecture') ?? '', state, multiArch: p.get('multi-arch') ?? '', conffiles });
  }
  return out;
}

/** dpkg names info files NAME.* or, for Multi-Arch: same packages, NAME:ARCH.*. */
function infoFile(r: RootResolver, pkg: ClaimedPackage, ext: string): string | undefined {
  return readEvidenceText(r, `/var/lib/dpkg/info/${pkg.name}:${pkg.arch}.${ext}`) ?? readEvidenceText(r, `/var/lib/dpkg/info/${pkg.name}.${ext}`);
}

/** The evidence's md5sums for a package (undefined when the file is absent). */
export function evidenceMd5sums(r: RootResolver, pkg: ClaimedPackage): Map<string, string> | undefined {
  const text = infoFile(r, pkg, 'md5sums');
  return text === undefined ? undefined : parseMd5sums(text);
}

/** The paths the evidence's dpkg says a package owns (its .list file). */
export function evidenceList(r: RootResolver, pkg: ClaimedPackage): string[] {
  return (infoFile(r, pkg, 'list') ?? '').split('\n').filter((l) => l.startsWith('/'));
}

export interface Diversion {
  from: string;
  to: string;
  /** The package allowed to write `from` itself (":" for a local diversion). */
  by: string;
}

/** /var/lib/dpkg/diversions: triples of lines (from, to, package). */
export function readDiversions(r: RootResolver): Diversion[] {
  const lines = (readEvidenceText(r, '/var/lib/dpkg/diversions') ?? '').split('\n');
  const out: Diversion[] = [];
  for (let i = 0; i + 2 < lines.length; i += 3) {
    if (lines[i]!.startsWith('/') && lines[i + 1]!.startsWith('/')) out.push({ from: lines[i]!, to: lines[i + 1]!, by: lines[i + 2]! });
  }
  return out;
}

export interface StatOverride {
  owner: string;
  group: string;
  mode: number;
  path: string;
}

/** /var/lib/dpkg/statoverride: "owner group mode path" lines (a path may hold spaces). */
export function readStatOverrides(r: RootResolver): StatOverride[] {
  const out: StatOverride[] = [];
  for (const line of (readEvidenceText(r, '/var/lib/dpkg/statoverride') ?? '').split('\n')) {
    const m = /^(\S+)\s+(\S+)\s+([0-7]{1,5})\s+(\/.*)$/.exec(line.trim());
    if (m) out.push({ owner: m[1]!, group: m[2]!, mode: parseInt(m[3]!, 8), path: m[4]! });
  }
  return out;
}
