// SPDX-License-Identifier: GPL-3.0-or-later
// The places that grant access or run code at login, at boot or with a system tool, beyond those
// of config.ts: remote login, shell start-up, udev, apt hooks, modprobe, motd scripts, the
// loader's configuration, systemd generators, name service modules, Python start-up files, and
// dpkg's own overrides. Every file found there is a candidate (dropped by trusted.ts only when a
// trusted package ships it unchanged, or it equals the trusted template the system copies it
// from); its detail says what it does (judge.ts). Links are followed only inside ROOT.
import { parseStatus, readDiversions, readStatOverrides } from '../evidence/dpkg.js';
import { grantsSetId, judgeAdmin, octal } from '../evidence/dpkg-admin.js';
import { readEvidenceText, type RootResolver } from '../evidence/root-path.js';
import { candidate, shown, type Candidate, type Indicator } from './findings.js';
import { existing, filesIn, filesOrDirsIn, type Listing } from './listing.js';
import { judgeApt, judgeModprobe, judgeShell, judgeSshd, judgeUdev, type Verdict } from './judge.js';
import type { Severity } from '../verify/findings.js';

const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const worst = (v: Verdict[], floor: Severity) => SEVERITIES[Math.min(SEVERITIES.indexOf(floor), ...v.map((x) => SEVERITIES.indexOf(x.severity)))]!;
const describe = (v: Verdict[], fallback: string) =>
  v.length
    ? v
        .slice(0, 4)
        .map((x) => `${x.what}: ${shown(x.line, 120)}`)
        .join('; ')
    : fallback;

function text(r: RootResolver, rel: string): string {
  return r.lstat(rel)?.isFile() ? (readEvidenceText(r, '/' + rel, 1 << 20) ?? '') : '';
}

/** One candidate per file, judged: the severity is the worse of `floor` and what the judge saw. */
function judged(
  out: Candidate[],
  r: RootResolver,
  rels: string[],
  indicator: Indicator,
  floor: Severity,
  title: string,
  judge: (t: string) => Verdict[],
  template?: (rel: string) => string | undefined,
): void {
  for (const rel of rels) {
    const st = r.lstat(rel);
    // An empty file configures nothing and runs nothing (pam's postinst makes an empty /etc/environment).
    if (!st || (st.isFile() && st.size === 0)) continue;
    const v = st.isFile() ? judge(text(r, rel)) : [];
    const detail = st.isSymbolicLink() ? `symlink to ${shown(r.resolveFully(rel) ?? '(outside ROOT or dangling)')}` : describe(v, `${st.size} bytes, mode ${octal(st.mode & 0o7777)}`);
    const c = candidate(indicator, worst(v, floor), title, rel, detail);
    const t = template?.(rel);
    if (t) c.template = t;
    out.push(c);
  }
}

/** Start-up files in a home folder and the template the system copies them from. */
const SKEL: Record<string, string> = { '.bashrc': '/etc/skel/.bashrc', '.profile': '/etc/skel/.profile', '.bash_logout': '/etc/skel/.bash_logout' };
const ROOT_SKEL: Record<string, string> = { '.bashrc': '/usr/share/base-files/dot.bashrc', '.profile': '/usr/share/base-files/dot.profile' };
const STARTUP = ['.bashrc', '.profile', '.bash_profile', '.bash_login', '.bash_logout', '.zshrc', '.zprofile', '.zshenv', '.pam_environment', '.xsession', '.xinitrc', '.config/autostart'];

export function placeCandidates(r: RootResolver, homes: string[], ctx: Listing): Candidate[] {
  const out: Candidate[] = [];
  const one = (p: string) => existing(r, p);
  const many = (...ps: string[]) => ps.flatMap((p) => filesIn(r, ctx, p));
  const some = (...ps: (string | undefined)[]) => ps.filter((x): x is string => x !== undefined);

  // Remote login: sshd_config (made from the packaged template), its drop-ins, and any file it Includes.
  const sshd = some(one('/etc/ssh/sshd_config'));
  const includes = new Set<string>(many('/etc/ssh/sshd_config.d'));
  for (const rel of sshd)
    for (const m of text(r, rel).matchAll(/^\s*Include\s+(.+)$/gim))
      for (const pat of m[1]!.trim().split(/\s+/)) for (const f of globIn(r, ctx, pat.startsWith('/') ? pat : `/etc/ssh/${pat}`)) includes.add(f);
  judged(out, r, sshd, 'sshd', 'medium', 'SSH server configuration', judgeSshd, () => '/usr/share/openssh/sshd_config');
  judged(out, r, [...includes], 'sshd', 'high', 'SSH server configuration drop-in', judgeSshd);
  judged(out, r, many('/etc/ssh/sshrc').concat(some(one('/etc/ssh/sshrc'))), 'sshd', 'high', 'run by sshd at every login', judgeShell);

  // Shell start-up: system-wide and every account's.
  judged(
    out,
    r,
    some(one('/etc/profile'), one('/etc/bash.bashrc'), one('/etc/bash.bash_logout'), one('/etc/environment'), one('/etc/zsh/zshenv'), one('/etc/zsh/zshrc')).concat(
      many('/etc/profile.d', '/etc/environment.d'),
    ),
    'shell-startup',
    'medium',
    'read by every login shell',
    judgeShell,
    (rel) => (rel === 'etc/profile' ? '/usr/share/base-files/profile' : undefined),
  );
  for (const h of homes) {
    const rels = STARTUP.map((f) => one(`${h}/${f}`)).filter((x): x is string => x !== undefined && !r.lstat(x)?.isDirectory());
    const skel = h === '/root' ? ROOT_SKEL : SKEL;
    judged(out, r, rels, 'shell-startup', 'medium', `start-up file of ${shown(h)}`, judgeShell, (rel) => skel[rel.slice(rel.lastIndexOf('/') + 1)]);
  }

  // Device events, package tools, module loading, login messages, the dynamic loader, name services.
  judged(out, r, many('/etc/udev/rules.d', '/usr/lib/udev/rules.d', '/lib/udev/rules.d', '/run/udev/rules.d'), 'udev', 'medium', 'udev rules', judgeUdev);
  judged(out, r, many('/etc/apt/apt.conf.d').concat(some(one('/etc/apt/apt.conf'))), 'apt-hook', 'medium', 'apt configuration', judgeApt);
  judged(
    out,
    r,
    many('/etc/modprobe.d', '/usr/lib/modprobe.d', '/lib/modprobe.d', '/etc/modules-load.d').concat(some(one('/etc/modules'))),
    'modprobe',
    'medium',
    'kernel module configuration',
    judgeModprobe,
  );
  judged(out, r, many('/etc/update-motd.d'), 'motd', 'high', 'run as root at every login (motd)', judgeShell);
  judged(out, r, some(one('/etc/ld.so.conf')).concat(many('/etc/ld.so.conf.d')), 'loader-config', 'high', 'dynamic loader search path', () => []);
  judged(
    out,
    r,
    some(one('/etc/nsswitch.conf')),
    'loader-config',
    'high',
    'name service modules loaded by every program',
    () => [],
    () => '/usr/share/libc-bin/nsswitch.conf',
  );
  const generators = [
    '/etc/systemd/system-generators',
    '/usr/local/lib/systemd/system-generators',
    '/usr/lib/systemd/system-generators',
    '/lib/systemd/system-generators',
    '/etc/systemd/user-generators',
    '/usr/lib/systemd/user-generators',
    '/usr/lib/systemd/system-environment-generators',
    '/usr/lib/systemd/user-environment-generators',
    '/etc/systemd/system-environment-generators',
    '/usr/lib/environment.d',
  ];
  judged(out, r, many(...generators), 'systemd', 'high', 'systemd generator (runs as root early at boot)', () => []);
  judged(
    out,
    r,
    many('/usr/lib/python3/dist-packages', '/usr/local/lib/python3/dist-packages')
      .filter((x) => /\.pth$|\/(site|user)customize\.py$/.test(x))
      .concat(pythonStartup(r, ctx)),
    'loader-config',
    'high',
    'run by every Python program at start',
    () => [],
  );

  // dpkg's own overrides: an override or diversion that no trusted package makes.
  const installed = new Set(parseStatus(readEvidenceText(r, '/var/lib/dpkg/status') ?? '').map((p) => p.name));
  const admin = judgeAdmin(readStatOverrides(r), readDiversions(r), installed);
  const so = one('/var/lib/dpkg/statoverride') ?? 'var/lib/dpkg/statoverride';
  for (const o of admin.unknownOverrides)
    out.push(
      candidate(
        'dpkg-override',
        grantsSetId(o.mode) ? 'critical' : 'high',
        'dpkg statoverride that no trusted package makes',
        so,
        `${shown(o.owner)} ${shown(o.group)} ${octal(o.mode)} ${shown(o.path)}`,
        false,
      ),
    );
  const dv = one('/var/lib/dpkg/diversions') ?? 'var/lib/dpkg/diversions';
  for (const d of admin.unknownDiversions)
    out.push(candidate('dpkg-override', 'high', 'dpkg diversion that no trusted package makes', dv, `${shown(d.from)} -> ${shown(d.to)} (by ${shown(d.by)})`, false));
  return out;
}

/** Python's own start-up hooks in the versioned library folders (usr/lib/python3.X, /usr/local too). */
function pythonStartup(r: RootResolver, ctx: Listing): string[] {
  const out: string[] = [];
  for (const base of ['/usr/lib', '/usr/local/lib', '/etc']) {
    const names = filesOrDirsIn(r, ctx, base).filter((n) => /^python3(\.\d+)?$/.test(n));
    for (const n of names) for (const sub of ['', '/site-packages', '/dist-packages']) out.push(...filesIn(r, ctx, `${base}/${n}${sub}`).filter((x) => /\.pth$|\/(site|user)customize\.py$/.test(x)));
  }
  return out;
}

/** The files matching an sshd Include pattern (one "*" or "?" level in the last component). */
function globIn(r: RootResolver, ctx: Listing, pattern: string): string[] {
  const slash = pattern.lastIndexOf('/');
  const dir = pattern.slice(0, slash) || '/';
  const re = new RegExp(
    '^' +
      pattern
        .slice(slash + 1)
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
  );
  return filesIn(r, ctx, dir).filter((rel) => re.test(rel.slice(rel.lastIndexOf('/') + 1)));
}
