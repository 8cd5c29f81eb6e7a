// SPDX-License-Identifier: GPL-3.0-or-later
// File capabilities (the security.capability xattr): `cap_setuid+ep` on a copy of python is a
// root shell that no SUID scan sees, and the reference (made from .deb data) holds no xattrs.
// The live system's getcap (libcap2-bin) lists them, walking ROOT without following symlinks;
// every capability that no trusted package's maintainer script sets is a finding. When getcap
// cannot run, that is said (an "unexamined" finding), never skipped silently.
import { runProgram } from '../lib/run-program.js';
import { candidate, shown, type Candidate } from './findings.js';
import type { RootResolver } from '../evidence/root-path.js';

/** Capabilities set by trusted packages' postinst (setcap), bookworm. */
const KNOWN: Record<string, string> = {
  '/usr/bin/ping': 'cap_net_raw=ep',
  '/bin/ping': 'cap_net_raw=ep',
};
const ROOT_EQUIVALENT = /cap_(setuid|setgid|sys_admin|dac_override|dac_read_search|sys_ptrace|sys_module|chown|fowner|setfcap|sys_rawio|bpf)/;

export async function capabilityCandidates(r: RootResolver): Promise<Candidate[]> {
  let stdout: string;
  try {
    ({ stdout } = await runProgram(['getcap', '-r', r.root], { maxBuffer: 64 << 20, timeoutMs: 600_000 }));
  } catch (err) {
    return [candidate('unexamined', 'medium', 'file capabilities not examined', '', shown((err as Error).message), false)];
  }
  const out: Candidate[] = [];
  const prefix = r.root.replace(/\/+$/, '') + '/';
  for (const line of stdout.split('\n')) {
    const m = /^(.*) (\S+)$/.exec(line);
    if (!m || !m[1]!.startsWith(prefix)) continue;
    const rel = m[1]!.slice(prefix.length);
    if (KNOWN['/' + rel] === m[2]) continue;
    out.push(candidate('capability', ROOT_EQUIVALENT.test(m[2]!) ? 'critical' : 'high', 'file capabilities (privileges without SUID)', rel, shown(m[2]!), false));
  }
  return out;
}
