// SPDX-License-Identifier: GPL-3.0-or-later
// /etc/passwd, /etc/shadow and /etc/group of the evidence: colon-separated, hostile, parsed
// leniently; and the accounts that can log in or administer the system.
import { readEvidenceText, type RootResolver } from '../evidence/root-path.js';
import { candidate, shown, type Candidate } from './findings.js';
export interface PasswdEntry {
  name: string;
  password: string;
  uid: number;
  home: string;
  shell: string;
}

export function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || !f[0] || line.startsWith('#')) continue;
    const uid = /^\d+$/.test(f[2]!) ? Number(f[2]) : NaN;
    out.push({ name: f[0], password: f[1]!, uid, home: f[5]!, shell: f[6]! });
  }
  return out;
}

export function parseShadow(text: string): { name: string; password: string }[] {
  return text
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 2 && f[0])
    .map((f) => ({ name: f[0]!, password: f[1]! }));
}

/** Shells that refuse a login. */
const NO_LOGIN = /(^|\/)(nologin|false|sync|halt|shutdown)$/;
/** Groups whose members are root in all but name (sudo, disk access, the shadow file, container runtimes). */
const ADMIN_GROUPS = new Set(['root', 'sudo', 'admin', 'wheel', 'shadow', 'disk', 'kmem', 'docker', 'lxd', 'libvirt']);

export function parseGroup(text: string): { name: string; gid: number; members: string[] }[] {
  return text
    .split('\n')
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 4 && f[0])
    .map((f) => ({
      name: f[0]!,
      gid: /^\d+$/.test(f[2]!) ? Number(f[2]) : NaN,
      members: f[3]!
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean),
    }));
}

/** Who can log in, and who is an administrator: each such account (root aside) is for the responder to confirm. */
export function accountCandidates(r: RootResolver, accounts: PasswdEntry[], passwdRel: string, homes: string[]): Candidate[] {
  const out: Candidate[] = [];
  const shadow = new Map(parseShadow(readEvidenceText(r, '/etc/shadow') ?? '').map((s) => [s.name, s.password]));
  const groupRel = r.locate('/etc/group') ?? 'etc/group';
  const groups = parseGroup(readEvidenceText(r, '/etc/group') ?? '');
  const hasKeys = (home: string) =>
    ['authorized_keys', 'authorized_keys2'].some((f) => {
      const rel = r.locate(`${home}/.ssh/${f}`);
      return rel !== undefined && r.lstat(rel) !== undefined;
    });
  for (const a of accounts) {
    if (a.name === 'root' || NO_LOGIN.test(a.shell) || a.shell === '') continue;
    const pw = shadow.get(a.name) ?? a.password;
    const usable = pw !== '' && !pw.startsWith('!') && !pw.startsWith('*') && pw !== 'x';
    if (usable || hasKeys(a.home)) {
      const why = [usable ? 'a password' : '', hasKeys(a.home) ? 'SSH keys' : ''].filter(Boolean).join(' and ');
      out.push(
        candidate(
          'account',
          a.uid < 1000 ? 'high' : 'medium',
          a.uid < 1000 ? 'system account that can log in' : 'account that can log in',
          passwdRel,
          `${shown(a.name)} (uid ${a.uid}, shell ${shown(a.shell)}, ${why})`,
          false,
        ),
      );
    }
  }
  const primary = new Map(accounts.map((a) => [a.name, a]));
  for (const g of groups) {
    if (!ADMIN_GROUPS.has(g.name) && g.gid !== 0) continue;
    for (const m of g.members) if (m !== 'root') out.push(candidate('account', 'high', 'member of an administrative group', groupRel, `${shown(m)} in ${shown(g.name)}`, false));
  }
  for (const a of accounts) {
    const gid = (readEvidenceText(r, '/etc/passwd') ?? '')
      .split('\n')
      .find((l) => l.startsWith(a.name + ':'))
      ?.split(':')[3];
    if (a.name !== 'root' && gid === '0' && primary.has(a.name)) out.push(candidate('account', 'high', 'account whose primary group is root', passwdRel, shown(a.name), false));
  }
  void homes;
  return out;
}
