// SPDX-License-Identifier: GPL-3.0-or-later
// A small evidence tree with real login records and logs, made on the host by the real tools:
// wtmp/btmp by `utmpdump -r` from their text form, journal files by `systemd-journal-remote` from
// journal export format, auth.log lines as sshd/sudo/su/PAM write them (plain, traditional syslog
// in a .1 and a .2.gz, RFC 3339 in the current file). One story, with gaps planted on purpose:
//   - the journal is two files of one sequence with entries 4-5 missing between them (a deleted
//     archive file: sequence ids and numbers set in the binary files, as journald writes them);
//   - time goes back inside the newest journal file;
//   - auth.log and wtmp end at 11:00:05Z while the journal records a login at 11:45Z;
//   - lastlog has a login of eve that no other log has; wtmp has one zeroed record.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

export const JOURNAL_REMOTE = '/lib/systemd/systemd-journal-remote';
export const SEQNUM_ID = '5e9a0000000000000000000000000001';
const BOOT = '0123456789abcdef0123456789abcdef';
const MACHINE = 'b0a2c0ffee0000000000000000000001';

function utmp(file: string, lines: string[]): void {
  const bin = execFileSync('utmpdump', ['-r'], { input: lines.join('\n') + '\n', stdio: ['pipe', 'pipe', 'ignore'] });
  writeFileSync(file, bin);
}

// utmpdump's text form: [type] [pid] [id] [user] [line] [host] [addr] [time]
const u = (type: number, pid: number, id: string, user: string, line: string, host: string, addr: string, time: string) =>
  `[${type}] [${String(pid).padStart(5, '0')}] [${id.padEnd(4)}] [${user.padEnd(8)}] [${line.padEnd(12)}] [${host.padEnd(20)}] [${addr.padEnd(15)}] [${time}]`;

interface JEntry {
  us: bigint;
  ident: string;
  pid?: number;
  message: string;
}

function exportFormat(entries: JEntry[]): string {
  return entries
    .map(
      (e, k) =>
        [
          `__REALTIME_TIMESTAMP=${e.us}`,
          `__MONOTONIC_TIMESTAMP=${1000 + k}`,
          `_BOOT_ID=${BOOT}`,
          `_HOSTNAME=victim`,
          `SYSLOG_IDENTIFIER=${e.ident}`,
          ...(e.pid ? [`_PID=${e.pid}`] : []),
          `MESSAGE=${e.message}`,
          '',
        ].join('\n') + '\n',
    )
    .join('');
}

/**
 * Write a journal file with systemd-journal-remote, then give it sequence id SEQNUM_ID and
 * sequence numbers from `firstSeqnum` on (journald shares one sequence across a file set;
 * journal-remote starts every file at 1 with a random id).
 */
function journal(file: string, entries: JEntry[], firstSeqnum: number): void {
  const out = file.endsWith('~') ? file.slice(0, -1) : file;
  execFileSync(JOURNAL_REMOTE, [`--output=${out}`, '-'], { input: exportFormat(entries), stdio: ['pipe', 'ignore', 'pipe'] });
  const buf = readFileSync(out);
  Buffer.from(SEQNUM_ID, 'hex').copy(buf, 72); // header.seqnum_id
  const reals = new Set(entries.map((e) => e.us));
  let patched = 0;
  for (let p = 0; p + 48 <= buf.length; p += 8) {
    // Entry object: type 3, then size, seqnum at +16, realtime at +24.
    if (buf[p] !== 3 || !reals.has(buf.readBigUInt64LE(p + 24))) continue;
    const seq = buf.readBigUInt64LE(p + 16);
    if (seq < 1n || seq > BigInt(entries.length)) continue;
    buf.writeBigUInt64LE(seq - 1n + BigInt(firstSeqnum), p + 16);
    patched++;
  }
  if (patched !== entries.length) throw new Error(`journal fixture: patched ${patched} of ${entries.length} entries in ${out}`);
  buf.writeBigUInt64LE(BigInt(firstSeqnum + entries.length - 1), 160); // tail_entry_seqnum
  buf.writeBigUInt64LE(BigInt(firstSeqnum), 168); // head_entry_seqnum
  writeFileSync(file, buf);
  if (out !== file) execFileSync('rm', ['-f', out]);
}

const t = (iso: string) => BigInt(Date.parse(iso)) * 1000n;

/** Make the tree under `root`; returns the paths of the pieces. */
export function makeLoginsEvidence(root: string) {
  const log = path.join(root, 'var/log');
  const jdir = path.join(log, 'journal', MACHINE);
  mkdirSync(jdir, { recursive: true });
  mkdirSync(path.join(root, 'etc'), { recursive: true });
  writeFileSync(path.join(root, 'etc/timezone'), 'Europe/Berlin\n');
  writeFileSync(
    path.join(root, 'etc/passwd'),
    ['root:x:0:0:root:/root:/bin/bash', 'bob:x:1000:1000::/home/bob:/bin/bash', 'alice:x:1001:1001::/home/alice:/bin/bash', 'eve:x:1002:1002::/home/eve:/bin/bash', ''].join('\n'),
  );

  utmp(path.join(log, 'wtmp.1'), [
    u(2, 0, '~~', 'reboot', '~', '6.1.0-28-amd64', '0.0.0.0', '2024-04-30T08:00:00,000000+00:00'),
    u(7, 500, 'tty1', 'alice', 'tty1', '', '0.0.0.0', '2024-04-30T08:05:00,000000+00:00'),
    u(8, 500, 'tty1', '', 'tty1', '', '0.0.0.0', '2024-04-30T08:20:00,000000+00:00'),
    u(1, 0, '~~', 'shutdown', '~~', '6.1.0-28-amd64', '0.0.0.0', '2024-04-30T18:00:00,000000+00:00'),
  ]);
  utmp(path.join(log, 'wtmp'), [
    u(2, 0, '~~', 'reboot', '~', '6.1.0-28-amd64', '0.0.0.0', '2024-05-01T09:55:00,000000+00:00'),
    u(7, 902, 'ts/0', 'bob', 'pts/0', '203.0.113.9', '203.0.113.9', '2024-05-01T10:00:00,100000+00:00'),
    u(0, 0, '', '', '', '', '0.0.0.0', '1970-01-01T00:00:00,000000+00:00'),
    u(8, 902, 'ts/0', '', 'pts/0', '', '0.0.0.0', '2024-05-01T10:30:00,000000+00:00'),
    u(7, 1000, 'ts/1', 'root', 'pts/1', '198.51.100.7', '198.51.100.7', '2024-05-01T11:00:05,200000+00:00'),
  ]);
  utmp(path.join(log, 'btmp'), [
    u(6, 900, '', 'admin', 'ssh:notty', '203.0.113.66', '203.0.113.66', '2024-05-01T09:59:42,000000+00:00'),
    u(6, 901, '', 'bob', 'ssh:notty', '203.0.113.66', '203.0.113.66', '2024-05-01T09:59:50,000000+00:00'),
  ]);

  // lastlog: 292-byte slots by uid: int32 time, char line[32], char host[256].
  const lastlog = Buffer.alloc(292 * 1003);
  const slot = (uid: number, iso: string, line: string, host: string) => {
    lastlog.writeInt32LE(Date.parse(iso) / 1000, uid * 292);
    lastlog.write(line, uid * 292 + 4, 32);
    lastlog.write(host, uid * 292 + 36, 256);
  };
  slot(0, '2024-05-01T11:00:05Z', 'pts/1', '198.51.100.7');
  slot(1000, '2024-05-01T10:00:00Z', 'pts/0', '203.0.113.9');
  slot(1002, '2024-05-01T12:00:00Z', 'pts/2', '192.0.2.99');
  writeFileSync(path.join(log, 'lastlog'), lastlog);

  // auth.log.2.gz and auth.log.1: traditional syslog, local time (Europe/Berlin, CEST = UTC+2).
  writeFileSync(
    path.join(log, 'auth.log.2.gz'),
    gzipSync(
      'Apr 30 10:05:00 victim login[500]: pam_unix(login:session): session opened for user alice(uid=1001) by LOGIN(uid=0)\nApr 30 10:20:00 victim login[500]: pam_unix(login:session): session closed for user alice\n',
    ),
  );
  writeFileSync(
    path.join(log, 'auth.log.1'),
    [
      'May  1 11:59:40 victim sshd[900]: Invalid user admin from 203.0.113.66 port 40000',
      'May  1 11:59:42 victim sshd[900]: Failed password for invalid user admin from 203.0.113.66 port 40000 ssh2',
      'May  1 11:59:50 victim sshd[901]: Failed password for bob from 203.0.113.66 port 40001 ssh2',
      'May  1 12:00:00 victim sshd[902]: Accepted password for bob from 203.0.113.9 port 50000 ssh2',
      'May  1 12:00:00 victim sshd[902]: pam_unix(sshd:session): session opened for user bob(uid=1000) by (uid=0)',
      'May  1 12:01:40 victim sudo:      bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/id',
      'May  1 12:02:00 victim sudo:      bob : 3 incorrect password attempts ; TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/usr/bin/cat /etc/shadow',
      'May  1 12:05:00 victim su: (to root) bob on pts/0',
      'May  1 12:05:00 victim su: pam_unix(su:session): session opened for user root(uid=0) by bob(uid=1000)',
      'May  1 12:10:00 victim su: pam_unix(su:session): session closed for user root',
      'May  1 12:30:00 victim sshd[902]: pam_unix(sshd:session): session closed for user bob',
      '',
    ].join('\n'),
  );
  const rootKey = 'Accepted publickey for root from 198.51.100.7 port 51000 ssh2: ED25519 SHA256:q1w2e3r4t5y6u7i8o9p0AbCdEfGhIjKlMnOpQrStUvW';
  writeFileSync(path.join(log, 'auth.log'), `2024-05-01T13:00:05.200000+02:00 victim sshd[1000]: ${rootKey}\n`);

  const older = path.join(jdir, `system@0006175ff0000000-0000000000000001.journal~`);
  journal(
    older,
    [
      { us: t('2024-05-01T09:55:01Z'), ident: 'kernel', message: 'Linux version 6.1.0-28-amd64' },
      { us: t('2024-05-01T09:59:42Z'), ident: 'sshd', pid: 900, message: 'Failed password for invalid user admin from 203.0.113.66 port 40000 ssh2' },
      { us: t('2024-05-01T10:00:00.050Z'), ident: 'sshd', pid: 902, message: 'Accepted password for bob from 203.0.113.9 port 50000 ssh2' },
    ],
    1,
  );
  const current = path.join(jdir, 'system.journal');
  journal(
    current,
    [
      { us: t('2024-05-01T11:00:05.200Z'), ident: 'sshd', pid: 1000, message: rootKey },
      { us: t('2024-05-01T11:45:00Z'), ident: 'sshd', pid: 1100, message: 'Accepted password for mallory from 192.0.2.66 port 52000 ssh2' },
      { us: t('2024-05-01T10:40:00Z'), ident: 'systemd-timesyncd', pid: 300, message: 'Initial clock synchronization to Wed 2024-05-01 10:40:00 UTC.' },
    ],
    6,
  );
  // Modification times as the system left them: they date the traditional syslog lines.
  const mtime = (file: string, iso: string) => utimesSync(path.join(log, file), new Date(iso), new Date(iso));
  mtime('auth.log.2.gz', '2024-04-30T18:00:01Z');
  mtime('auth.log.1', '2024-05-01T10:30:00Z');
  mtime('auth.log', '2024-05-01T11:00:05Z');
  return { root, log, wtmp: path.join(log, 'wtmp'), wtmp1: path.join(log, 'wtmp.1'), btmp: path.join(log, 'btmp'), journals: [older, current] };
}
