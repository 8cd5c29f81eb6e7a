// SPDX-License-Identifier: GPL-3.0-or-later
// /etc/passwd and /etc/shadow of the evidence: colon-separated, hostile, parsed leniently.
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
