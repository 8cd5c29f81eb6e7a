// SPDX-License-Identifier: GPL-3.0-or-later
// `responder logins` (the real bundle) on login records and logs made by the real tools
// (test/helpers/logins-evidence.ts), compared with the tools responders already trust, run on the
// same files on the host: `last -f` (wtmp), `lastb -f` (btmp), `journalctl --file` (journal) and
// `mactime -b BODY -d` (our CSV timeline must be exactly what mactime makes of our body file). The
// gaps planted in the fixture must each be reported; a clean tree (no gaps) must report none, so
// the findings are not just always there.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_OUT } from '../helpers/e2e.js';
import { JOURNAL_REMOTE, makeLoginsEvidence } from '../helpers/logins-evidence.js';
import { runResponder } from '../helpers/responder-run.js';
import { existsSync } from 'node:fs';
import type { LoginsResult } from '../../src/responder/logins/collect.js';

const has = (cmd: string) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status === 0;
const canRun = ['utmpdump', 'last', 'lastb', 'journalctl', 'mactime'].every(has) && existsSync(JOURNAL_REMOTE);

const WORK = path.join(TEST_OUT, `responder-logins-${process.pid}`);
const EV = path.join(WORK, 'evidence');
const env = { TZ: 'UTC', LC_ALL: 'C' };

// The --json output is the responder's own LoginsResult: the tests read the type, not a copy.
type Out = LoginsResult;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const lastIso = (s: string) => s.replace(/\+00:00$/, 'Z');

/** `last`/`lastb` lines: user, tty, start, end (ISO, or its words), host. */
function parseLast(text: string) {
  const out: { user: string; tty: string; start: string; end: string; host: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(system boot|\S+)\s+(\S+)\s+(?:- (\S+)\s+\(\S+\)|(still running|gone - no logout|- crash|- down))\s*(\S*)$/.exec(line);
    if (m) out.push({ user: m[1]!, tty: m[2]!, start: lastIso(m[3]!), end: m[4] ? lastIso(m[4]) : m[5]!, host: m[6] ?? '' });
  }
  return out;
}

async function logins(args: string[]): Promise<{ code: number | null; out: Out; stderr: string }> {
  const r = await runResponder(['logins', ...args, '--json'], { cwd: WORK, env });
  return { code: r.code, out: JSON.parse(r.stdout.toString('utf8') || '{}') as Out, stderr: r.stderr };
}

describe.skipIf(!canRun)('responder logins vs last, lastb, journalctl and mactime', () => {
  let fx: ReturnType<typeof makeLoginsEvidence>;
  let result: Out;
  beforeAll(async () => {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    fx = makeLoginsEvidence(EV);
    const r = await logins([EV, '--body', path.join(WORK, 'logs.body'), '--csv', path.join(WORK, 'logs.csv')]);
    expect(r.code, r.stderr).toBe(1); // findings
    result = r.out;
  }, 60_000);
  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  it('has every wtmp login and boot that `last -f` shows, with the same end', () => {
    for (const file of [fx.wtmp1, fx.wtmp]) {
      const source = '/var/log/' + path.basename(file);
      const reference = parseLast(execFileSync('last', ['-f', file, '--time-format', 'iso', '-w', '-a'], { env: { ...process.env, ...env }, encoding: 'utf8' }));
      const ours = result.sessions.filter((s) => s.sources.includes(source) && s.start > 0 && (s.kind === 'boot' || s.tty));
      expect(reference.length).toBeGreaterThan(1);
      expect(ours.length).toBe(reference.length);
      for (const ref of reference) {
        const row = ours.find((s) => s.user === ref.user && (s.kind === 'boot' ? ref.tty === 'system boot' : s.tty === ref.tty) && iso(s.start) === ref.start);
        expect(row, `last's ${JSON.stringify(ref)}`).toBeDefined();
        if (ref.end === 'still running' || ref.end === 'gone - no logout') expect(row!.endHow).toBe('open');
        else expect(iso(row!.end!)).toBe(ref.end);
        if (row!.kind !== 'boot') expect(row!.from ?? '').toBe(ref.host);
      }
    }
  });

  it('has every btmp failure that `lastb -f` shows', () => {
    const reference = parseLast(execFileSync('lastb', ['-f', fx.btmp, '--time-format', 'iso', '-w', '-a'], { env: { ...process.env, ...env }, encoding: 'utf8' }));
    expect(reference.length).toBe(2);
    for (const ref of reference) {
      // sshd's first line about an attempt ("Invalid user") can come a moment before btmp's record.
      const at = Date.parse(ref.start);
      const row = result.sessions.find((s) => s.result === 'failure' && s.user === ref.user && Math.abs(s.start - at) <= 5000 && s.from === ref.host && s.sources.includes('/var/log/btmp'));
      expect(row, `lastb's ${JSON.stringify(ref)}`).toBeDefined();
      // sshd logged the same attempt: one row, with sshd's method.
      expect(row!.method).toBe('password');
    }
  });

  it('reads every journal entry `journalctl --file` shows, into the timeline', () => {
    const csv = readFileSync(path.join(WORK, 'logs.csv'), 'utf8').split('\n');
    for (const file of fx.journals) {
      const shown = '/var/log/journal/' + path.relative(path.join(EV, 'var/log/journal'), file);
      const lines = execFileSync('journalctl', ['--file', file, '-o', 'short-unix', '--no-pager', '-q'], { env: { ...process.env, ...env }, encoding: 'utf8' })
        .trim()
        .split('\n');
      expect(lines.length).toBeGreaterThan(2);
      for (const line of lines) {
        const m = /^(\d+)\.\d+ \S+ (.*)$/.exec(line)!;
        const date = iso(Number(m[1]) * 1000);
        expect(
          csv.some((c) => c.startsWith(date + ',') && c.includes(`"${shown}: ${m[2]}"`)),
          `${date} ${m[2]}`,
        ).toBe(true);
      }
    }
  });

  it('writes the CSV timeline exactly as mactime makes it from our body file', () => {
    const ours = readFileSync(path.join(WORK, 'logs.csv'), 'utf8');
    const mactime = execFileSync('mactime', ['-b', path.join(WORK, 'logs.body'), '-d', '-y', '-z', 'UTC'], { encoding: 'utf8' });
    expect(ours.split('\n').length).toBeGreaterThan(30);
    expect(ours).toBe(mactime);
  });

  it('finds the ssh key, sudo, su and the failures in auth.log', () => {
    const root = result.sessions.find((s) => s.user === 'root' && s.kind === 'ssh')!;
    expect(root.method).toBe('publickey');
    expect(root.key).toBe('ED25519 SHA256:q1w2e3r4t5y6u7i8o9p0AbCdEfGhIjKlMnOpQrStUvW');
    expect(root.sources).toEqual(expect.arrayContaining(['/var/log/auth.log', '/var/log/wtmp']));
    const bob = result.sessions.find((s) => s.user === 'bob' && s.kind === 'ssh' && s.result === 'success')!;
    expect([iso(bob.start), iso(bob.end!), bob.tty, bob.from]).toEqual(['2024-05-01T10:00:00Z', '2024-05-01T10:30:00Z', 'pts/0', '203.0.113.9']);
    const sudo = result.sessions.filter((s) => s.kind === 'sudo').map((s) => [s.user, s.target, s.result, s.detail]);
    expect(sudo).toEqual([
      ['bob', 'root', 'success', '/usr/bin/id'],
      ['bob', 'root', 'failure', '3 incorrect password attempts; /usr/bin/cat /etc/shadow'],
    ]);
    const su = result.sessions.find((s) => s.kind === 'su')!;
    expect([su.user, su.target, iso(su.start), iso(su.end!)]).toEqual(['bob', 'root', '2024-05-01T10:05:00Z', '2024-05-01T10:10:00Z']);
    const admin = result.sessions.filter((s) => s.user === 'admin');
    expect(admin).toHaveLength(1); // "Invalid user" + "Failed password for invalid user" + btmp: one attempt
    expect(admin[0]!.detail).toBe('invalid user');
    // Traditional lines are local time (Europe/Berlin from the evidence's /etc/timezone).
    const alice = result.sessions.find((s) => s.user === 'alice')!;
    expect(iso(alice.start)).toBe('2024-04-30T08:05:00Z');
    expect(alice.sources).toEqual(expect.arrayContaining(['/var/log/auth.log.2.gz', '/var/log/wtmp.1']));
  });

  it('reports each planted gap', () => {
    const titles = result.findings.map((f) => f.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'journal hole: 2 entries missing',
        '/var/log/wtmp has 1 zeroed record(s)',
        expect.stringMatching(/^time goes backwards in \/var\/log\/journal\/.*system\.journal$/),
        '/var/log/auth.log ends abruptly at 2024-05-01T11:00:05Z',
        'lastlog has a login of eve that no other log has',
      ]),
    );
    expect(result.findings.find((f) => f.title.startsWith('journal hole'))!.detail).toContain('sequence numbers 4..5');
  });

  it('reports no gaps on logs without them (control), and an emptied wtmp when it is', async () => {
    const clean = path.join(WORK, 'clean');
    mkdirSync(path.join(clean, 'var/log'), { recursive: true });
    execFileSync('cp', ['-a', fx.wtmp1, path.join(clean, 'var/log/wtmp.1')]);
    execFileSync('cp', ['-a', path.join(fx.log, 'auth.log.2.gz'), path.join(clean, 'var/log/')]);
    writeFileSync(
      path.join(clean, 'var/log/wtmp'),
      execFileSync('utmpdump', ['-r'], {
        input: '[2] [00000] [~~  ] [reboot  ] [~           ] [6.1.0-28-amd64      ] [0.0.0.0        ] [2024-05-02T08:00:00,000000+00:00]\n',
        stdio: ['pipe', 'pipe', 'ignore'],
      }),
    );
    let r = await logins([clean, '--body', path.join(WORK, 'clean.body'), '--timezone', 'Europe/Berlin']);
    expect(r.out.findings, r.stderr).toEqual([]);
    expect(r.code).toBe(0);
    writeFileSync(path.join(clean, 'var/log/wtmp'), '');
    r = await logins([clean, '--body', path.join(WORK, 'clean2.body'), '--timezone', 'Europe/Berlin']);
    expect(r.out.findings.map((f) => f.title)).toEqual(['/var/log/wtmp is empty although /var/log/wtmp.1 has 4 records']);
  });

  it('goes into `responder report`: the sessions table and the gaps as findings', async () => {
    const caseDir = path.join(WORK, 'case');
    mkdirSync(caseDir);
    const r = await runResponder(['logins', EV, '--json', '--body', path.join(caseDir, 'logs.body')], { cwd: WORK, env });
    writeFileSync(path.join(caseDir, 'logins.json'), r.stdout);
    const rep = await runResponder(['report', '--case', caseDir], { cwd: WORK, env });
    expect(rep.code, rep.stderr).toBe(0);
    const md = readFileSync(path.join(caseDir, 'report.md'), 'utf8');
    expect(md).toContain('## Logins and privilege changes');
    expect(md).toMatch(/2024-05-01T11:00:05Z \| open at end of log \| ssh \| ok \| root \|/);
    expect(md).toContain('journal hole: 2 entries missing');
    expect(md).toContain('Sessions and privilege changes: 11 (3 failed)');
    const html = readFileSync(path.join(caseDir, 'report.html'), 'utf8');
    expect(html).toContain('SHA256:q1w2e3r4t5y6u7i8o9p0AbCdEfGhIjKlMnOpQrStUvW');
  });

  it('escapes hostile names, does not follow links out of the evidence, refuses output inside it', async () => {
    const bad = path.join(WORK, 'bad');
    mkdirSync(path.join(bad, 'var/log'), { recursive: true });
    writeFileSync(path.join(WORK, 'outside-secret'), 'May  1 12:00:00 h sshd[1]: Accepted password for secret from 192.0.2.1 port 1 ssh2\n');
    symlinkSync(path.join(WORK, 'outside-secret'), path.join(bad, 'var/log/auth.log'));
    writeFileSync(path.join(bad, 'var/log/auth.log.1'), 'May  1 12:00:00 h sshd[2]: Accepted password for ev\x1b[2Jil|x from 192.0.2.2 port 1 ssh2\n');
    const r = await runResponder(['logins', bad, '--body', path.join(WORK, 'bad.body'), '--timezone', 'UTC'], { cwd: WORK, env });
    const text = r.stdout.toString('utf8');
    expect(text).not.toContain('\x1b');
    expect(text).toContain('ev\\x1b[2Jil\\x7cx');
    expect(text).not.toContain('for secret'); // the link is named (a finding), what it points to is never read
    expect(text).toContain('log replaced: /var/log/auth.log is a symlink');
    const body = readFileSync(path.join(WORK, 'bad.body'), 'utf8');
    expect(body.split('\n')[0]!.split('|')).toHaveLength(11);
    const inside = await runResponder(['logins', bad, '--body', path.join(bad, 'x.body')], { cwd: WORK, env });
    expect(inside.code).toBe(2);
    expect(inside.stderr).toContain('inside the evidence');
    unlinkSync(path.join(bad, 'var/log/auth.log'));
  });

  it('reports a log replaced by a link, FIFO, device or folder, and never opens it (a FIFO would hang)', async () => {
    const replaced = path.join(WORK, 'replaced');
    mkdirSync(path.join(replaced, 'var/log/journal/m'), { recursive: true });
    symlinkSync('/dev/null', path.join(replaced, 'var/log/wtmp'));
    execFileSync('mkfifo', [path.join(replaced, 'var/log/btmp'), path.join(replaced, 'var/log/journal/m/system.journal')]);
    execFileSync('mknod', [path.join(replaced, 'var/log/lastlog'), 'c', '1', '5']);
    mkdirSync(path.join(replaced, 'var/log/auth.log'));
    const r = await logins([replaced, '--body', path.join(WORK, 'replaced.body'), '--timezone', 'UTC']);
    expect(r.code, r.stderr).toBe(1);
    expect(r.out.findings.map((f) => f.title).sort()).toEqual([
      'log replaced: /var/log/auth.log is a directory',
      'log replaced: /var/log/btmp is a FIFO',
      'log replaced: /var/log/journal/m/system.journal is a FIFO',
      'log replaced: /var/log/lastlog is a character device',
      'log replaced: /var/log/wtmp is a symlink',
    ]);
    expect(r.out.findings.find((f) => f.title.includes('wtmp'))!.detail).toBe('symlink to /dev/null (not followed)');
  }, 30_000);
});
