// SPDX-License-Identifier: GPL-3.0-or-later
// The persistence places that are configuration: preload, cron, systemd units and timers, init
// scripts and rc.local, SSH authorized_keys of every account, sudoers, PAM, the account database,
// and the paths of known rootkits. Everything is read as text from inside ROOT (never run), and
// shown escaped.
import { readEvidenceText, type RootResolver } from '../evidence/root-path.js';
import { accountCandidates, parsePasswd, parseShadow } from './accounts.js';
import { candidate, shown, type Candidate } from './findings.js';
import { ROOTKIT_PATHS } from './rootkit-paths.js';
import { generatedBy } from '../verify/generated.js';
import { judgeSudoers, judgeUnit } from './judge.js';
import { judgePam, profileRules } from './judge-pam.js';
import { placeCandidates } from './places.js';
import { existing, filesBelow, filesOrDirsIn, newListing, type Listing } from './listing.js';

const PRELOAD_VARS = /\b(LD_PRELOAD|LD_AUDIT|LD_LIBRARY_PATH)\b/;

export function configCandidates(r: RootResolver, ctx: Listing = newListing()): Candidate[] {
  const out: Candidate[] = ctx.odd; // the walks below add their odd names as they go
  const accounts = parsePasswd(readEvidenceText(r, '/etc/passwd') ?? '');
  const homes = [...new Set(['/root', ...accounts.map((a) => a.home).filter((h) => h.startsWith('/') && h !== '/'), ...listHomes(r, ctx)])];

  // Preload: ld.so.preload loads its libraries into every dynamically linked program.
  const preload = existing(r, '/etc/ld.so.preload');
  if (preload) {
    const libs = (readEvidenceText(r, '/etc/ld.so.preload') ?? '').split(/\s+/).filter((x) => x && !x.startsWith('#'));
    out.push(
      candidate(
        'preload',
        libs.length ? 'critical' : 'medium',
        '/etc/ld.so.preload: libraries loaded into every program',
        preload,
        libs.length ? `preloads ${shown(libs.join(' '))}` : 'present but empty',
        false,
      ),
    );
  }
  const envFiles = ['/etc/environment', '/etc/profile', '/etc/bash.bashrc', '/etc/security/pam_env.conf', '/etc/systemd/system.conf', '/etc/systemd/user.conf'];
  const envRels = envFiles.map((f) => existing(r, f)).filter((x): x is string => x !== undefined);
  envRels.push(...filesBelow(r, ctx, '/etc/profile.d'), ...filesBelow(r, ctx, '/etc/systemd/system'));
  for (const h of homes)
    for (const f of ['.bashrc', '.profile', '.bash_profile', '.bash_login', '.zshrc', '.pam_environment']) {
      const rel = existing(r, `${h}/${f}`);
      if (rel) envRels.push(rel);
    }
  for (const rel of new Set(envRels)) {
    if (!r.lstat(rel)?.isFile()) continue;
    const text = readEvidenceText(r, '/' + rel, 1 << 20) ?? '';
    const line = text.split('\n').find((l) => PRELOAD_VARS.test(l) && !l.trim().startsWith('#'));
    if (line) out.push(candidate('preload', 'high', 'dynamic loader variable set for sessions or services', rel, shown(line)));
  }

  // Cron and at: system tables, periodic scripts, user crontabs.
  const cronRels = [existing(r, '/etc/crontab'), existing(r, '/etc/anacrontab')].filter((x): x is string => x !== undefined);
  for (const d of ['/etc/cron.d', '/etc/cron.hourly', '/etc/cron.daily', '/etc/cron.weekly', '/etc/cron.monthly', '/etc/cron.yearly']) cronRels.push(...filesBelow(r, ctx, d, 0));
  for (const rel of cronRels) out.push(candidate('cron', 'medium', 'cron job', rel, describeText(r, rel)));
  for (const d of ['/var/spool/cron/crontabs', '/var/spool/cron/atjobs', '/var/spool/cron/tabs']) {
    for (const rel of filesBelow(r, ctx, d, 0)) out.push(candidate('cron', 'high', `user ${d.endsWith('atjobs') ? 'at job' : 'crontab'}`, rel, describeText(r, rel), false));
  }

  // systemd: units, timers and drop-ins of the system and of users.
  const unitDirs = ['/etc/systemd/system', '/etc/systemd/user', '/usr/lib/systemd/system', '/usr/lib/systemd/user', '/lib/systemd/system', '/usr/local/lib/systemd/system'];
  const unitRels = new Set<string>();
  for (const d of unitDirs) for (const rel of filesBelow(r, ctx, d)) unitRels.add(rel);
  for (const h of homes) for (const rel of filesBelow(r, ctx, `${h}/.config/systemd/user`)) unitRels.add(rel);
  for (const rel of unitRels) {
    const timer = rel.endsWith('.timer');
    const st = r.lstat(rel);
    const v = st?.isFile() ? judgeUnit(readEvidenceText(r, '/' + rel, 1 << 20) ?? '') : [];
    const what = st?.isSymbolicLink()
      ? `symlink to ${shown(r.resolveFully(rel) ?? '(outside ROOT or dangling)')}`
      : v.length
        ? v
            .slice(0, 3)
            .map((x) => `${x.what}: ${shown(x.line, 120)}`)
            .join('; ')
        : describeText(r, rel);
    const severity = v.some((x) => x.severity === 'critical') ? 'critical' : timer || /\.d\/[^/]+\.conf$/.test(rel) ? 'high' : 'medium';
    out.push(
      candidate('systemd', severity, `systemd ${timer ? 'timer' : /\.d\/[^/]+\.conf$/.test(rel) ? 'drop-in (overrides a unit)' : rel.endsWith('.service') ? 'service' : 'unit file'}`, rel, what),
    );
    // Units that trusted packages ship for debugging only: enabled, they give a root shell.
    if (/\.wants\/debug-shell\.service$/.test(rel)) out.push(candidate('systemd', 'critical', 'debug-shell.service enabled: a root shell on tty9 without a password', rel, 'enablement link', false));
  }

  // SysV init, rc.local.
  const rcLocal = existing(r, '/etc/rc.local');
  if (rcLocal) out.push(candidate('init', 'high', '/etc/rc.local: run as root at boot', rcLocal, describeText(r, rcLocal)));
  for (const rel of filesBelow(r, ctx, '/etc/init.d', 0)) out.push(candidate('init', 'medium', 'init script', rel, describeText(r, rel)));
  for (const n of ['0', '1', '2', '3', '4', '5', '6', 'S']) for (const rel of filesBelow(r, ctx, `/etc/rc${n}.d`, 0)) out.push(candidate('init', 'low', 'runlevel link', rel, 'symlink'));

  // SSH keys of every account: a key is a way back in that survives a password change.
  for (const h of homes) {
    for (const f of ['authorized_keys', 'authorized_keys2']) {
      const rel = existing(r, `${h}/.ssh/${f}`);
      if (!rel) continue;
      const keys = (readEvidenceText(r, '/' + rel, 1 << 20) ?? '').split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
      const comments = keys.map((k) => k.trim().split(/\s+/).slice(2).join(' ') || '(no comment)');
      out.push(candidate('authorized-keys', 'high', 'SSH authorized keys', rel, `${keys.length} key(s): ${shown(comments.join(', '))}`, false));
    }
  }

  // sudo: who may become root, and without a password; included files and folders are followed.
  const sudoRels = new Set([existing(r, '/etc/sudoers'), ...filesBelow(r, ctx, '/etc/sudoers.d', 0)].filter((x): x is string => x !== undefined));
  for (const rel of [...sudoRels]) {
    for (const m of (readEvidenceText(r, '/' + rel, 1 << 20) ?? '').matchAll(/^[#@]include(dir)?\s+(\S+)\s*$/gm)) {
      if (m[1]) for (const f of filesBelow(r, ctx, m[2]!, 0)) sudoRels.add(f);
      else if (existing(r, m[2]!)) sudoRels.add(existing(r, m[2]!)!);
    }
  }
  for (const rel of sudoRels) {
    const v = judgeSudoers(readEvidenceText(r, '/' + rel, 1 << 20) ?? '');
    const severity = v.some((x) => x.severity === 'high') ? 'high' : 'medium';
    out.push(
      candidate(
        'sudoers',
        severity,
        'sudoers rules',
        rel,
        v.length
          ? v
              .slice(0, 4)
              .map((x) => `${x.what}: ${shown(x.line, 120)}`)
              .join('; ')
          : describeText(r, rel),
      ),
    );
  }

  // PAM: configuration and the modules it can load.
  const profiles = profileRules(filesBelow(r, ctx, '/usr/share/pam-configs', 0).map((rel) => readEvidenceText(r, '/' + rel, 1 << 20) ?? ''));
  for (const rel of filesBelow(r, ctx, '/usr/share/pam-configs', 0)) out.push(candidate('pam', 'high', 'pam-auth-update profile (written into the common-* stacks)', rel, describeText(r, rel)));
  for (const rel of filesBelow(r, ctx, '/etc/pam.d', 0)) {
    const generated = generatedBy(rel) !== undefined;
    const v = judgePam(r, '/' + rel, profiles, generated);
    // pam-auth-update writes common-* itself: judged rule by rule against the trusted profiles.
    if (!v.length && generated) continue;
    const severity = v.some((x) => x.severity === 'critical') ? 'critical' : v.length ? 'high' : 'medium';
    out.push(
      candidate(
        'pam',
        severity,
        'PAM configuration',
        rel,
        v.length
          ? v
              .slice(0, 4)
              .map((x) => `${x.what}: ${shown(x.line, 120)}`)
              .join('; ')
          : describeText(r, rel),
        !generated,
      ),
    );
  }
  for (const d of ['/lib/security', '/lib64/security', '/usr/lib/security', '/usr/lib/x86_64-linux-gnu/security', '/lib/x86_64-linux-gnu/security']) {
    for (const rel of filesBelow(r, ctx, d, 0)) out.push(candidate('pam', 'high', 'PAM module', rel, `${r.lstat(rel)?.size ?? 0} bytes`));
  }

  // Accounts: a second UID 0, passwords that are empty or kept in /etc/passwd.
  const passwdRel = existing(r, '/etc/passwd') ?? 'etc/passwd';
  for (const a of accounts) {
    if (a.uid === 0 && a.name !== 'root') out.push(candidate('account', 'critical', 'account with UID 0 besides root', passwdRel, `${shown(a.name)} (uid 0, shell ${shown(a.shell)})`, false));
    if (a.password === '') out.push(candidate('account', 'high', 'account without a password in /etc/passwd', passwdRel, shown(a.name), false));
    else if (!['x', '*', '!', '!!'].includes(a.password) && !a.password.startsWith('!')) out.push(candidate('account', 'medium', 'password hash kept in /etc/passwd', passwdRel, shown(a.name), false));
  }
  const shadowRel = existing(r, '/etc/shadow') ?? 'etc/shadow';
  for (const s of parseShadow(readEvidenceText(r, '/etc/shadow') ?? '')) {
    if (s.password === '') out.push(candidate('account', 'high', 'account with an empty password', shadowRel, shown(s.name), false));
  }

  out.push(...accountCandidates(r, accounts, passwdRel, homes));
  out.push(...placeCandidates(r, homes, ctx));

  // Paths from public rootkit reports.
  for (const k of ROOTKIT_PATHS) {
    const rel = existing(r, k.path);
    if (rel) out.push(candidate('known-rootkit', 'critical', `path known from rootkit reports: ${k.family}`, rel, `source: ${k.source}`));
  }
  return out;
}

function listHomes(r: RootResolver, ctx: Listing): string[] {
  return filesOrDirsIn(r, ctx, '/home').map((n) => `/home/${n}`);
}

function describeText(r: RootResolver, rel: string): string {
  const st = r.lstat(rel);
  if (!st) return '';
  if (st.isSymbolicLink()) return 'symlink';
  const first = (readEvidenceText(r, '/' + rel, 4096) ?? '').split('\n').find((l) => l.trim() && !l.trim().startsWith('#'));
  return `${st.size} bytes${first ? `; first line: ${shown(first, 120)}` : ''}`;
}
