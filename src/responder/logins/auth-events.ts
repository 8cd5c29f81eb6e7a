// SPDX-License-Identifier: GPL-3.0-or-later
// What sshd, sudo, su and PAM say about logins, recognised in a syslog or journal message. The
// same parser serves auth.log lines and journal entries, so both sources give the same events.
// Messages are evidence: matched with anchored, bounded patterns and kept as raw strings here;
// escaping happens when they are shown.

export type AuthEvent =
  | { kind: 'ssh-accepted'; user: string; addr: string; port?: number; method: string; key?: string }
  | { kind: 'ssh-failed'; user: string; addr: string; port?: number; method: string; invalidUser: boolean }
  | { kind: 'ssh-invalid-user'; user: string; addr: string; port?: number }
  | { kind: 'session-opened'; service: string; user: string; by?: string; byUid?: number }
  | { kind: 'su-to'; user: string; target: string; tty?: string }
  | { kind: 'session-closed'; service: string; user: string }
  | { kind: 'sudo-command'; user: string; runAs: string; tty?: string; pwd?: string; command: string }
  | { kind: 'sudo-failed'; user: string; reason: string; runAs?: string; command?: string }
  | { kind: 'su-failed'; user: string; target: string; tty?: string }
  | { kind: 'auth-failure'; service: string; user?: string; target?: string; rhost?: string };

const U = '(\\S{1,256})';
const ADDR = '(\\S{1,64})';
const ACCEPTED = new RegExp(`^Accepted (\\S{1,64}) for ${U} from ${ADDR} port (\\d{1,5})(?: ssh2)?(?:: (\\S{1,32} \\S{1,128}))?`);
const FAILED = new RegExp(`^Failed (\\S{1,64}) for (invalid user )?${U} from ${ADDR} port (\\d{1,5})`);
const INVALID = new RegExp(`^Invalid user ${U}? ?from ${ADDR}(?: port (\\d{1,5}))?`);
const PAM_SESSION = /^pam_unix\(([^:)]{1,64}):session\): session (opened|closed) for user (\S{1,256}?)(?:\(uid=\d+\))?(?: by (\S{0,256}?)(?:\(uid=(\d{1,10})\))?)?$/;
const PAM_AUTHFAIL = /^pam_unix\(([^:)]{1,64}):auth\): authentication failure;(.{0,2048})$/;
const SUDO = /^\s*(\S{1,256}) : (.{0,8192})$/;
const SU_FAILED = /^FAILED SU \(to (\S{1,256})\) (\S{1,256}) on (\S{1,64})/;
// util-linux su, before its PAM session line (which names only a uid when su has no login name).
const SU_TO = /^\(to (\S{1,256})\) (\S{1,256}) on (\S{1,64})$/;

function sudoFields(text: string): Map<string, string> {
  // "TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id -u": COMMAND is last and may contain " ; ".
  const fields = new Map<string, string>();
  const cmd = text.indexOf('COMMAND=');
  const head = cmd === -1 ? text : text.slice(0, cmd);
  for (const part of head.split(' ; ')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  if (cmd !== -1) fields.set('COMMAND', text.slice(cmd + 'COMMAND='.length));
  return fields;
}

function kv(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const part of text.trim().split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) m.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return m;
}

/** The event a message of `program` describes, or undefined when it is not about logins. */
export function parseAuthMessage(program: string, message: string): AuthEvent | undefined {
  if (message.length > 16384) return undefined;
  if (program === 'sshd' || program.startsWith('sshd-')) {
    let m = ACCEPTED.exec(message);
    if (m) return { kind: 'ssh-accepted', method: m[1]!, user: m[2]!, addr: m[3]!, port: Number(m[4]), key: m[5] };
    m = FAILED.exec(message);
    if (m) return { kind: 'ssh-failed', method: m[1]!, invalidUser: Boolean(m[2]), user: m[3]!, addr: m[4]!, port: Number(m[5]) };
    m = INVALID.exec(message);
    if (m) return { kind: 'ssh-invalid-user', user: m[1] ?? '', addr: m[2]!, port: m[3] ? Number(m[3]) : undefined };
  }
  let m = PAM_SESSION.exec(message);
  if (m) {
    const service = m[1]!;
    if (m[2] === 'opened') return { kind: 'session-opened', service, user: m[3]!, by: m[4] || undefined, byUid: m[5] ? Number(m[5]) : undefined };
    return { kind: 'session-closed', service, user: m[3]! };
  }
  m = PAM_AUTHFAIL.exec(message);
  if (m) {
    const f = kv(m[2]!);
    return { kind: 'auth-failure', service: m[1]!, user: f.get('ruser') || f.get('logname') || undefined, target: f.get('user'), rhost: f.get('rhost') || undefined };
  }
  if (program === 'sudo') {
    m = SUDO.exec(message);
    if (!m) return undefined;
    const user = m[1]!;
    const rest = m[2]!;
    const f = sudoFields(rest);
    if (f.has('COMMAND') && !/incorrect password|NOT in sudoers|command not allowed|authentication failure/.test(rest.split(' ; ')[0]!)) {
      return { kind: 'sudo-command', user, runAs: f.get('USER') ?? 'root', tty: f.get('TTY'), pwd: f.get('PWD'), command: f.get('COMMAND')! };
    }
    const reason = rest.split(' ; ')[0]!.trim();
    if (/incorrect password|NOT in sudoers|not allowed|authentication failure|a password is required/.test(reason)) {
      return { kind: 'sudo-failed', user, reason, runAs: f.get('USER'), command: f.get('COMMAND') };
    }
    return undefined;
  }
  if (program === 'su') {
    m = SU_FAILED.exec(message);
    if (m) return { kind: 'su-failed', target: m[1]!, user: m[2]!, tty: m[3] };
    m = SU_TO.exec(message);
    if (m) return { kind: 'su-to', target: m[1]!, user: m[2]!, tty: m[3] };
  }
  return undefined;
}
