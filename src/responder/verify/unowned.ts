// SPDX-License-Identifier: GPL-3.0-or-later
// UNOWNED: files in system directories that no trusted package ships. The directories are walked
// by the evidence walker (evidence/walk.ts: names as bytes, symlinks not followed, other file
// systems and unreadable entries reported as walk problems); each entry is looked up by
// its canonical path among the files the trusted packages put there (check-packages.ts). A symlink
// whose chain ends, inside ROOT, at a trusted and unchanged file (update-alternatives links,
// systemd enablement links) is recorded as such, not reported: it adds no content of its own.
import { lstatSync } from 'node:fs';
import { escapeName, escapeText } from '../evidence/escape.js';
import { isDir, utf8Exact, walkEvidence, type WalkEntry, type WalkProblem } from '../evidence/walk.js';
import { readHead, type RootResolver } from '../evidence/root-path.js';
import type { Owned } from './check-packages.js';
import { finding, type VerifyFinding } from './findings.js';
import { generatedPattern } from './generated.js';
import { checkPyc, isPycPath } from './pyc.js';

/** The system directories (and single files) of the issue: where a trojan or persistence hides. */
export const SYSTEM_PATHS = [
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/usr/bin',
  '/usr/sbin',
  '/usr/lib',
  '/usr/lib32',
  '/usr/lib64',
  '/usr/libx32',
  '/usr/libexec',
  '/usr/local',
  '/etc/systemd',
  '/etc/init.d',
  '/etc/rc.local',
  '/etc/rc0.d',
  '/etc/rc1.d',
  '/etc/rc2.d',
  '/etc/rc3.d',
  '/etc/rc4.d',
  '/etc/rc5.d',
  '/etc/rc6.d',
  '/etc/rcS.d',
  '/etc/crontab',
  '/etc/cron.d',
  '/etc/cron.hourly',
  '/etc/cron.daily',
  '/etc/cron.weekly',
  '/etc/cron.monthly',
  '/etc/cron.yearly',
  '/etc/ld.so.preload',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/ld.so.cache',
  '/etc/pam.d',
  '/etc/security',
  '/etc/sudoers',
  '/etc/sudoers.d',
  '/etc/profile.d',
  '/etc/update-motd.d',
  '/etc/udev',
  '/etc/modprobe.d',
  '/etc/modules-load.d',
  // Read at login, by sshd, sudo, apt or a desktop session: each runs code or grants access.
  '/etc/ssh',
  '/etc/profile',
  '/etc/bash.bashrc',
  '/etc/environment',
  '/etc/sudo.conf',
  '/etc/apt/apt.conf.d',
  '/etc/X11/Xsession.d',
  '/etc/xdg/autostart',
  '/usr/share/pam-configs',
  '/etc/security',
];

export interface UnownedResult {
  findings: VerifyFinding[];
  /** Information (UNVERIFIABLE-GENERATED): listed apart, not findings. */
  notes: VerifyFinding[];
  generated: { path: string; by: string }[];
  /** Compiled Python files whose header matches their trusted source (pyc.ts). */
  pycVerified: number;
  linksToTrusted: number;
  walked: number;
  /** What the walk could not look at: the scan is incomplete there. */
  problems: WalkProblem[];
}

export function findUnowned(r: RootResolver, owned: Map<string, Owned>, claimedBy: Map<string, string>): UnownedResult {
  const out: UnownedResult = { findings: [], notes: [], generated: [], pycVerified: 0, linksToTrusted: 0, walked: 0, problems: [] };
  const tops = new Set<string>();
  for (const p of SYSTEM_PATHS) {
    const rel = r.locate(p);
    if (rel === undefined || !r.lstat(rel)) continue;
    // Several names can lead to one folder (/lib -> usr/lib): walk it once.
    const st = r.lstat(rel)!;
    const canonical = st.isSymbolicLink() ? (r.resolveDir(p) ?? rel) : rel;
    tops.add(canonical);
  }
  const sorted = [...tops].sort();
  const walkedTops = sorted.filter((t, i) => !sorted.slice(0, i).some((o) => t.startsWith(o + '/')));
  for (const top of walkedTops) {
    const topStat = r.lstat(top);
    if (!topStat) continue;
    if (!topStat.isDirectory()) {
      const st = lstatSync(r.abs(top), { bigint: true, throwIfNoEntry: false });
      if (st) visit(r, { rel: Buffer.from(top), access: Buffer.from(r.abs(top)), stat: st }, owned, claimedBy, out);
      continue;
    }
    walkEvidence(r.root, {
      start: top,
      onProblem: (p) => out.problems.push(p),
      onEntry(e) {
        if (!isDir(e.stat)) visit(r, e, owned, claimedBy, out);
      },
    });
  }
  out.generated.sort((a, b) => (a.path < b.path ? -1 : 1));
  return out;
}

/** One file (or symlink, or special file) of a system folder; `rel` as bytes, so no name is lost. */
function visit(r: RootResolver, e: Pick<WalkEntry, 'rel' | 'access' | 'stat'>, owned: Map<string, Owned>, claimedBy: Map<string, string>, out: UnownedResult): void {
  out.walked++;
  // Trusted paths are UTF-8: a name that is not can be neither owned nor generated nor a trusted link.
  const rel = utf8Exact(e.rel);
  if (rel !== undefined && owned.has(rel)) return;
  const shown = '/' + escapeName(e.rel);
  const st = e.stat;
  if (rel !== undefined) {
    const nst = r.lstat(rel);
    if (nst && isPycPath(rel)) {
      const v = checkPyc(r, rel, nst, owned, (src) => owned.get(src)?.size);
      if (v.kind === 'verified') out.pycVerified++;
      else if (v.kind === 'unverifiable') out.notes.push(finding('UNVERIFIABLE-GENERATED', 'info', `compiled Python file: ${v.why}`, { path: shown }));
      else out.findings.push(finding('UNOWNED', 'high', `compiled Python file that does not match its trusted source: ${v.why}`, { path: shown }));
      return;
    }
    const gen = nst ? generatedPattern(rel) : undefined;
    if (nst && gen) {
      const bad = gen.check?.(nst, r.abs(rel), { r, owned });
      if (bad === undefined) {
        out.generated.push({ path: shown, by: gen.by });
        out.notes.push(finding('UNVERIFIABLE-GENERATED', 'info', `made by ${gen.by}; ${nst.size} bytes`, { path: shown }));
        return;
      }
      if (gen.config) out.findings.push(finding('MODIFIED-CONFFILE', 'low', `${bad} (made by ${gen.by}; responder sweep judges what it does)`, { path: shown }));
      else out.findings.push(finding('UNOWNED', 'high', `not what ${gen.by} makes: ${bad}`, { path: shown }));
      return;
    }
  }
  if (rel !== undefined && st.isSymbolicLink()) {
    const full = r.resolveFully(rel);
    if (full !== undefined && owned.get(full)?.ok) {
      out.linksToTrusted++;
      return;
    }
  }
  const what = st.isSymbolicLink() ? 'symlink' : st.isFile() ? (isElf(e.access) ? 'ELF file' : Number(st.mode) & 0o111 ? 'executable file' : 'file') : 'special file';
  const severity = what === 'ELF file' || what === 'executable file' || shown.startsWith('/etc/') || rel === undefined ? 'high' : 'medium';
  const claim = rel !== undefined ? claimedBy.get(rel) : undefined;
  const mode = Number(st.mode) & 0o7777;
  const setId = mode & 0o6000 ? `, ${mode & 0o4000 ? 'SUID' : 'SGID'} (owner uid ${st.uid})` : '';
  const odd = rel === undefined ? '; its name is not valid UTF-8' : '';
  const detail =
    `${what}, ${st.size} bytes, mode ${'0' + mode.toString(8)}${setId}${odd}` +
    (claim ? `; the evidence's dpkg database says ${escapeText(claim)} owns it, but that package has no trusted reference` : '');
  out.findings.push(finding('UNOWNED', severity, detail, { path: shown }));
}

function isElf(access: Buffer): boolean {
  try {
    return readHead(access, 4).equals(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  } catch {
    return false;
  }
}
