// SPDX-License-Identifier: GPL-3.0-or-later
// PAM stacks as libpam reads them: each service file with its @include / include / substack
// files (inside ROOT), rule by rule. Reported: programs run by pam_exec, modules loaded by a path,
// pam_permit (or any module) allowed to end a stack with success on its own. The common-* files
// are written by pam-auth-update, not shipped: each of their rules must be one that
// pam-auth-update writes from the trusted profiles in /usr/share/pam-configs (which sweep checks
// against the reference like every other place), or one of its fixed lines.
import { readEvidenceText, type RootResolver } from '../evidence/root-path.js';
import type { Verdict } from './judge.js';

interface Rule {
  type: string;
  control: string;
  module: string;
  args: string;
  line: string;
}

const norm = (s: string) => s.trim().replace(/\s+/g, ' ');

function parseRules(text: string): (Rule | { include: string; line: string })[] {
  const out: (Rule | { include: string; line: string })[] = [];
  for (const raw of text.split('\n')) {
    const line = norm(raw);
    if (!line || line.startsWith('#')) continue;
    const inc = /^@include (\S+)$/.exec(line);
    if (inc) {
      out.push({ include: inc[1]!, line });
      continue;
    }
    const m = /^(-?\w+) (\[[^\]]*\]|\S+) (\S+) ?(.*)$/.exec(line);
    if (!m) continue;
    if (m[2] === 'include' || m[2] === 'substack') out.push({ include: m[3]!, line });
    else out.push({ type: m[1]!.replace(/^-/, ''), control: m[2]!, module: m[3]!, args: m[4]!, line });
  }
  return out;
}

/** The rules pam-auth-update writes around the profiles' lines (its template). */
const FIXED = new Set([
  'auth requisite pam_deny.so',
  'auth required pam_permit.so',
  'account requisite pam_deny.so',
  'account required pam_permit.so',
  'password requisite pam_deny.so',
  'password required pam_permit.so',
  'session [default=1] pam_permit.so',
  'session requisite pam_deny.so',
  'session required pam_permit.so',
]);

/** type, module and arguments of each rule the trusted profiles can contribute, with the control allowed for it. */
export function profileRules(texts: string[]): Map<string, RegExp[]> {
  const out = new Map<string, RegExp[]>();
  for (const text of texts) {
    let type: string | undefined;
    for (const raw of text.split('\n')) {
      const head = /^(Auth|Account|Session|Password)(-Initial)?:\s*$/.exec(raw.trim());
      if (head && !/^\s/.test(raw)) {
        type = head[1]!.toLowerCase();
        continue;
      }
      if (!/^\s/.test(raw)) {
        if (raw.trim()) type = undefined;
        continue;
      }
      if (!type) continue;
      const m = /^(\[[^\]]*\]|\S+) (\S+) ?(.*)$/.exec(norm(raw));
      if (!m) continue;
      // pam-auth-update turns "end" into the number of rules to skip; "optional"-style words stay.
      const control = new RegExp('^' + m[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\bend\b/g, '\\d+') + '$');
      const key = `${type} ${m[2]} ${m[3]}`.trim();
      (out.get(key) ?? out.set(key, []).get(key)!).push(control);
    }
  }
  return out;
}

const PAM_DIR = '/etc/pam.d';

/**
 * The rules of one PAM file and what it includes, judged. `generated`: the file is one that
 * pam-auth-update writes (each rule must come from `profiles`).
 */
export function judgePam(r: RootResolver, file: string, profiles: Map<string, RegExp[]>, generated: boolean): Verdict[] {
  const out: Verdict[] = [];
  const seen = new Set<string>();
  const visit = (name: string, depth: number, gen: boolean) => {
    const p = name.startsWith('/') ? name : `${PAM_DIR}/${name}`;
    if (seen.has(p) || depth > 8) return;
    seen.add(p);
    const text = readEvidenceText(r, p, 1 << 20);
    if (text === undefined) return;
    for (const rule of parseRules(text)) {
      if ('include' in rule) {
        if (rule.include.startsWith('/') && !rule.include.startsWith(PAM_DIR + '/')) out.push({ severity: 'high', what: 'includes rules from outside /etc/pam.d', line: rule.line });
        visit(rule.include, depth + 1, /^common-/.test(rule.include));
        continue;
      }
      const add = (severity: Verdict['severity'], what: string) => out.push({ severity, what: `${what} (${p})`, line: rule.line });
      const base = rule.module.replace(/^.*\//, '');
      if (rule.module.includes('/') && !/^\/(usr\/)?lib\/(x86_64-linux-gnu\/)?security\/pam_\w+\.so$/.test(rule.module)) add('critical', 'loads a module from an unusual path');
      if (base === 'pam_exec.so') add('high', 'runs a program at login');
      if (
        (base === 'pam_permit.so' || (base === 'pam_rootok.so' && rule.type === 'auth' && !/\/(su|su-l|chfn|chsh|runuser|runuser-l)$/.test(p))) &&
        (rule.control === 'sufficient' || /done/.test(rule.control))
      )
        add('critical', 'lets the stack succeed without a password');
      if (gen && !FIXED.has(`${rule.type} ${rule.control} ${rule.module} ${rule.args}`.trim())) {
        const allowed = profiles.get(`${rule.type} ${rule.module} ${rule.args}`.trim());
        if (!allowed?.some((c) => c.test(rule.control))) add('high', 'a rule that pam-auth-update does not write from the trusted profiles');
      }
    }
  };
  visit(file, 0, generated);
  return out;
}
