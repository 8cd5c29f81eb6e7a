// SPDX-License-Identifier: GPL-3.0-or-later
// The login-record and log parsers on hand-made bytes and lines, hostile ones included: utmp
// records at their glibc x86_64 offsets, truncated files, syslog in both forms across a New Year,
// sshd/sudo/su/PAM messages, session pairing, and the gap detectors.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RootResolver } from '../../src/responder/evidence/root-path.js';
import { parseAuthMessage } from '../../src/responder/logins/auth-events.js';
import { SeqnumRuns, BackwardsClock, wtmpFindings, familyOf } from '../../src/responder/logins/gaps.js';
import { parseJournalJson } from '../../src/responder/logins/journal.js';
import { mergeRows, rowsFromAuth, rowsFromBtmp, rowsFromWtmp } from '../../src/responder/logins/sessions.js';
import { classify, findLogFiles } from '../../src/responder/logins/sources.js';
import { parseSyslog } from '../../src/responder/logins/syslog.js';
import { wallClockToUtc } from '../../src/responder/logins/tz.js';
import { parseLastlogRecord, parseUtmp, UT, UTMP_SIZE } from '../../src/responder/logins/utmp.js';

function record(type: number, user: string, line: string, host: string, sec: number, addr = [0, 0, 0, 0]): Buffer {
  const b = Buffer.alloc(UTMP_SIZE);
  b.writeInt16LE(type, 0);
  b.writeInt32LE(4242, 4);
  b.write(line, 8, 32);
  b.write(user, 44, 32);
  b.write(host, 76, 256);
  b.writeInt32LE(sec, 340);
  addr.forEach((x, k) => (b[348 + k] = x));
  return b;
}

describe('utmp records', () => {
  it('reads the glibc x86_64 layout and reports trailing bytes', () => {
    const buf = Buffer.concat([record(UT.USER_PROCESS, 'bob', 'pts/0', '203.0.113.9', 1714557600, [203, 0, 113, 9]), Buffer.alloc(100)]);
    const { records, trailing } = parseUtmp(buf);
    expect(trailing).toBe(100);
    expect(records).toHaveLength(1);
    const r = records[0]!;
    expect([r.type, r.pid, r.user.toString(), r.line.toString(), r.host.toString(), r.sec, r.addr]).toEqual([7, 4242, 'bob', 'pts/0', '203.0.113.9', 1714557600, '203.0.113.9']);
  });
  it('keeps full-length fields without a NUL inside their bounds', () => {
    const b = record(UT.USER_PROCESS, 'x'.repeat(32), 'y'.repeat(32), 'z'.repeat(256), 1);
    const r = parseUtmp(b).records[0]!;
    expect([r.user.length, r.line.length, r.host.length]).toEqual([32, 32, 256]);
  });
  it('reads lastlog slots, empty ones as never', () => {
    const b = Buffer.alloc(292 * 2);
    b.writeInt32LE(1714557600, 292);
    b.write('pts/3', 296);
    b.write('192.0.2.1', 328);
    expect(parseLastlogRecord(b, 0, 0)).toBeUndefined();
    expect(parseLastlogRecord(b, 292, 1)).toMatchObject({ uid: 1, sec: 1714557600 });
    expect(parseLastlogRecord(b, 400, 1)).toBeUndefined(); // past the end
  });
});

describe('syslog lines', () => {
  it('reads RFC 3339 lines with their offset', () => {
    const { lines } = parseSyslog('2024-05-01T13:00:05.250000+02:00 host sshd[10]: hello | world\n', 0, 'UTC');
    expect(lines[0]).toMatchObject({ ms: Date.parse('2024-05-01T11:00:05.250Z'), host: 'host', program: 'sshd', pid: 10, message: 'hello | world' });
  });
  it('dates traditional lines across a New Year from the file mtime, in the given zone', () => {
    const text = 'Dec 31 23:59:00 h cron[1]: a\nJan  1 00:01:00 h cron[1]: b\nnot a syslog line\n';
    const { lines, unparsed } = parseSyslog(text, Date.parse('2025-01-01T08:00:00Z'), 'Europe/Berlin');
    expect(unparsed).toBe(1);
    expect(lines.map((l) => new Date(l.ms).toISOString())).toEqual(['2024-12-31T22:59:00.000Z', '2024-12-31T23:01:00.000Z']);
  });
  it('converts summer and winter wall-clock time', () => {
    expect(wallClockToUtc('Europe/Berlin', 2024, 6, 1, 12, 0, 0)).toBe(Date.parse('2024-07-01T10:00:00Z'));
    expect(wallClockToUtc('Europe/Berlin', 2024, 0, 1, 12, 0, 0)).toBe(Date.parse('2024-01-01T11:00:00Z'));
    expect(wallClockToUtc('UTC', 2024, 0, 1, 12, 0, 0)).toBe(Date.parse('2024-01-01T12:00:00Z'));
  });
});

describe('auth messages', () => {
  it.each([
    [
      'sshd',
      'Accepted publickey for root from 198.51.100.7 port 51000 ssh2: ED25519 SHA256:abc',
      { kind: 'ssh-accepted', user: 'root', addr: '198.51.100.7', method: 'publickey', key: 'ED25519 SHA256:abc' },
    ],
    ['sshd', 'Accepted keyboard-interactive/pam for bob from 2001:db8::1 port 2 ssh2', { kind: 'ssh-accepted', method: 'keyboard-interactive/pam', addr: '2001:db8::1' }],
    ['sshd', 'Failed password for invalid user admin from 203.0.113.66 port 40000 ssh2', { kind: 'ssh-failed', user: 'admin', invalidUser: true }],
    ['sshd', 'Invalid user  from 203.0.113.66 port 40000', { kind: 'ssh-invalid-user', user: '' }],
    ['sudo', '     bob : TTY=pts/0 ; PWD=/home/bob ; USER=root ; COMMAND=/bin/sh -c echo a ; echo b', { kind: 'sudo-command', user: 'bob', runAs: 'root', command: '/bin/sh -c echo a ; echo b' }],
    ['sudo', 'eve : user NOT in sudoers ; TTY=pts/1 ; PWD=/ ; USER=root ; COMMAND=/bin/bash', { kind: 'sudo-failed', user: 'eve', reason: 'user NOT in sudoers' }],
    ['su', 'FAILED SU (to root) bob on pts/0', { kind: 'su-failed', user: 'bob', target: 'root' }],
    ['su', 'pam_unix(su-l:session): session opened for user root(uid=0) by bob(uid=1000)', { kind: 'session-opened', service: 'su-l', user: 'root', by: 'bob' }],
    ['login', 'pam_unix(login:auth): authentication failure; logname=LOGIN uid=0 euid=0 tty=/dev/tty1 ruser= rhost=  user=alice', { kind: 'auth-failure', service: 'login', target: 'alice' }],
  ])('%s: %s', (program, message, expected) => {
    expect(parseAuthMessage(program, message)).toMatchObject(expected);
  });
  it('ignores other programs and oversized messages', () => {
    expect(parseAuthMessage('cron', 'Accepted password for x from 1.2.3.4 port 1 ssh2')).toBeUndefined();
    expect(parseAuthMessage('sshd', 'Accepted password for x from 1.2.3.4 port 1 ssh2' + ' '.repeat(20000))).toBeUndefined();
  });
});

describe('sessions', () => {
  const ev = (ms: number, program: string, pid: number | undefined, message: string) => ({ ms, program, pid, sources: ['/var/log/auth.log'], event: parseAuthMessage(program, message)! });
  it('pairs sshd sessions by pid and keeps one row for an invalid user attempt', () => {
    const rows = rowsFromAuth([
      ev(1000, 'sshd', 7, 'Invalid user admin from 192.0.2.1 port 1'),
      ev(1500, 'sshd', 7, 'Failed password for invalid user admin from 192.0.2.1 port 1 ssh2'),
      ev(2000, 'sshd', 8, 'Accepted password for bob from 192.0.2.2 port 2 ssh2'),
      ev(3000, 'sshd', 9, 'pam_unix(sshd:session): session closed for user bob'),
      ev(4000, 'sshd', 8, 'pam_unix(sshd:session): session closed for user bob'),
    ]);
    expect(rows.map((r) => [r.user, r.result, r.method, r.end])).toEqual([
      ['admin', 'failure', 'password', undefined],
      ['bob', 'success', 'password', 4000],
    ]);
  });
  it("keeps one row for a failed su: pam_unix before FAILED SU (util-linux), and su's btmp record", () => {
    const rows = rowsFromAuth([
      ev(1000, 'su', 7, 'pam_unix(su-l:auth): authentication failure; logname=alice uid=1001 euid=0 tty=/dev/pts/2 ruser=alice rhost=  user=bob'),
      ev(3500, 'su', 7, 'FAILED SU (to bob) alice on pts/2'),
    ]);
    expect(rows.map((r) => [r.kind, r.user, r.target, r.result, r.tty])).toEqual([['su', 'alice', 'bob', 'failure', 'pts/2']]);
    const btmp = rowsFromBtmp([{ source: '/var/log/btmp', records: parseUtmp(record(UT.LOGIN_PROCESS, 'bob', 'pts/2', '', 3)).records }]);
    const merged = mergeRows(rows, [], btmp);
    expect(merged).toHaveLength(1);
    expect(merged[0]!.sources).toEqual(['/var/log/auth.log', '/var/log/btmp']);
  });
  it("names the user of a su session from su's own line when PAM gives only a uid", () => {
    const rows = rowsFromAuth([
      ev(1000, 'su', 662, '(to bob) alice on pts/1'),
      ev(1010, 'su', 662, 'pam_unix(su-l:session): session opened for user bob(uid=1002) by (uid=1001)'),
      ev(2000, 'su', 662, 'pam_unix(su-l:session): session closed for user bob'),
      ev(3000, 'su', 700, 'pam_unix(su-l:session): session opened for user root(uid=0) by (uid=1003)'),
    ]);
    expect(rows.map((r) => [r.user, r.target, r.tty, r.end])).toEqual([
      ['alice', 'bob', 'pts/1', 2000],
      ['uid 1003', 'root', undefined, undefined],
    ]);
  });
  it('pairs wtmp like last: logout, crash at the next boot, down at shutdown', () => {
    const recs = parseUtmp(
      Buffer.concat([
        record(UT.BOOT_TIME, 'reboot', '~', '6.1', 100),
        record(UT.USER_PROCESS, 'a', 'pts/0', '', 110),
        record(UT.USER_PROCESS, 'b', 'pts/1', '', 120),
        record(UT.DEAD_PROCESS, '', 'pts/0', '', 130),
        record(UT.BOOT_TIME, 'reboot', '~', '6.1', 200),
        record(UT.USER_PROCESS, 'c', 'tty1', '', 210),
        record(UT.RUN_LVL, 'shutdown', '~~', '6.1', 300),
      ]),
    ).records;
    const rows = rowsFromWtmp([{ source: '/var/log/wtmp', records: recs }]);
    expect(rows.map((r) => [r.kind, r.user, r.end! / 1000, r.endHow])).toEqual([
      ['boot', 'reboot', 200, 'crash'],
      ['login', 'a', 130, 'logout'],
      ['login', 'b', 200, 'crash'],
      ['boot', 'reboot', 300, 'down'],
      ['login', 'c', 300, 'down'],
    ]);
  });
});

describe('gaps', () => {
  it('finds holes in a journal sequence across files, not at its start', () => {
    const runs = new SeqnumRuns();
    for (const s of [5, 6, 7]) runs.add('id', s, s * 1000, 'a.journal');
    for (const s of [10, 11]) runs.add('id', s, s * 1000, 'b.journal');
    for (const s of [1, 2]) runs.add('other', s, s, 'c.journal');
    const holes = runs.holes();
    expect(holes).toHaveLength(1);
    expect(holes[0]!.detail).toContain('sequence numbers 8..9');
  });
  it('does not report numbers another file of the same time has (journald numbers user files with the same counter)', () => {
    const runs = new SeqnumRuns();
    for (const s of [1, 2, 3, 7, 8]) runs.add('system', s, s * 1000, 'system.journal');
    for (const s of [4, 5]) runs.add('user', s, s * 1000, 'user-1001.journal');
    const holes = runs.holes();
    expect(holes.map((h) => h.title)).toEqual(['journal hole: 1 entry missing']);
    expect(holes[0]!.detail).toContain('sequence numbers 6..6');
  });
  it('tolerates small reordering but reports the clock going back', () => {
    const c = new BackwardsClock('x');
    for (const t of [0, 100_000, 60_000, 200_000]) c.see(t);
    expect(c.finding()).toBeUndefined();
    c.see(10_000);
    expect(c.finding()?.title).toBe('time goes backwards in x');
  });
  it('reports an emptied, truncated or zeroed wtmp', () => {
    const f = wtmpFindings([
      { path: '/var/log/wtmp', generation: 0, records: 0, trailing: 10, zeroed: 2 },
      { path: '/var/log/wtmp.1', generation: 1, records: 4, trailing: 0, zeroed: 0, firstMs: 0, lastMs: 1000 },
    ]);
    expect(f.map((x) => x.title)).toEqual(['/var/log/wtmp is cut in the middle of a record', '/var/log/wtmp has 2 zeroed record(s)', '/var/log/wtmp is empty although /var/log/wtmp.1 has 4 records']);
  });
  it('groups rotated files into families', () => {
    expect(['/var/log/auth.log.2.gz', '/var/log/auth.log', '/var/log/wtmp.1', '/var/log/journal/m/system.journal'].map(familyOf)).toEqual([
      '/var/log/auth.log',
      '/var/log/auth.log',
      '/var/log/wtmp',
      '/var/log/journal',
    ]);
    expect(['auth.log.2.gz', 'wtmp', 'btmp.1', 'lastlog', 'syslog', 'auth.log.x'].map((n) => classify(n)?.kind)).toEqual(['syslog', 'wtmp', 'btmp', 'lastlog', undefined, undefined]);
  });
});

describe('journalctl JSON', () => {
  it('takes the sequence from the cursor and byte-array messages', () => {
    const e = parseJournalJson(JSON.stringify({ __CURSOR: 's=abc;i=1f;b=x;m=1;t=2;x=3', __REALTIME_TIMESTAMP: '1714557600123456', MESSAGE: [104, 105, 0], SYSLOG_IDENTIFIER: 'sshd', _PID: '12' }));
    expect(e).toMatchObject({ seqnumId: 'abc', seqnum: 31, ms: 1714557600123, message: 'hi\u0000', program: 'sshd', pid: 12 });
    expect(parseJournalJson('{"__REALTIME_TIMESTAMP":"x"}')).toBeUndefined();
    expect(parseJournalJson('not json')).toBeUndefined();
  });
});

describe('replaced logs', () => {
  it('a log name that is a symlink, FIFO, device or folder is a finding, never followed or opened', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'fl-logs-'));
    try {
      const log = path.join(root, 'var/log');
      mkdirSync(path.join(log, 'journal/m'), { recursive: true });
      writeFileSync(path.join(log, 'auth.log'), 'May  1 12:00:00 h sshd[1]: x\n');
      symlinkSync('/dev/null', path.join(log, 'wtmp'));
      execFileSync('mkfifo', [path.join(log, 'btmp')]);
      mkdirSync(path.join(log, 'lastlog'));
      execFileSync('mknod', [path.join(log, 'auth.log.1'), 'c', '1', '3']);
      symlinkSync('../../../../etc/x.journal', path.join(log, 'journal/m/system.journal'));
      writeFileSync(path.join(log, 'journal/m/user-1000.journal'), '');
      const { files, replaced } = findLogFiles(new RootResolver(root));
      expect(files.map((f) => f.path)).toEqual(['/var/log/journal/m/user-1000.journal', '/var/log/auth.log']);
      expect(replaced.map((f) => [f.severity, f.title, f.detail])).toEqual([
        ['high', 'log replaced: /var/log/auth.log.1 is a character device', 'character device where a log file should be (not opened)'],
        ['high', 'log replaced: /var/log/btmp is a FIFO', 'FIFO where a log file should be (not opened)'],
        ['high', 'log replaced: /var/log/lastlog is a directory', 'directory where a log file should be (not opened)'],
        ['high', 'log replaced: /var/log/wtmp is a symlink', 'symlink to /dev/null (not followed)'],
        ['high', 'log replaced: /var/log/journal/m/system.journal is a symlink', 'symlink to ../../../../etc/x.journal (not followed)'],
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
