// SPDX-License-Identifier: GPL-3.0-or-later
// `responder logins` on files a booted Debian guest wrote (test/fixtures/evidence/guest-logins.tar.xz,
// made by test/helpers/guest-logins-fixture.ts: real sshd, sudo, su, rsyslog, logrotate, journald),
// compared with `last -f`, `lastb -f` and `journalctl --file` run here on the same files, and with
// what really happened in the guest. No build or boot: the fixture is committed (a unit test checks
// it matches its maker); this extracts it and reads it.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unescapeName } from '../../src/responder/evidence/escape.js';
import { TEST_OUT } from '../helpers/e2e.js';
import { extractGuestLogins, readGuestLoginsManifest, STORY } from '../helpers/guest-logins-fixture.js';
import { runResponder } from '../helpers/responder-run.js';
import type { LoginsResult } from '../../src/responder/logins/collect.js';
import type { SessionRow } from '../../src/responder/logins/sessions.js';

const has = (cmd: string) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status === 0;
const canRun = ['last', 'lastb', 'journalctl', 'mactime', 'xz'].every(has);

const WORK = path.join(TEST_OUT, `responder-logins-guest-${process.pid}`);
const EV = path.join(WORK, 'evidence');
const LOG = path.join(EV, 'var/log');
const env = { TZ: 'UTC', LC_ALL: 'C' };
const hostEnv = { ...process.env, ...env };

// The --json output is the responder's own LoginsResult: the tests read the type, not a copy.
type Row = SessionRow;
type Out = LoginsResult;

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const lastIso = (s: string) => s.replace(/\+00:00$/, 'Z');
const OPEN_WORDS = ['still running', 'still logged in', 'gone - no logout'];

/** `last`/`lastb` lines (--time-format iso -w -a): user, tty, start, end (ISO or its words), host. */
function parseLast(text: string) {
  const out: { user: string; tty: string; start: string; end: string; host: string }[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(system boot|\S+)\s+(\S+)\s+(?:- (\S+)\s+\(\S+\)|(still running|still logged in|gone - no logout|- crash|- down))?\s*(\S*)$/.exec(line);
    if (m) out.push({ user: m[1]!, tty: m[2]!, start: lastIso(m[3]!), end: m[4] ? lastIso(m[4]) : (m[5] ?? ''), host: m[6] ?? '' });
  }
  return out;
}

const last = (tool: 'last' | 'lastb', file: string) => parseLast(execFileSync(tool, ['-f', file, '--time-format', 'iso', '-w', '-a'], { env: hostEnv, encoding: 'utf8' }));

/** The name column of our CSV timeline, unescaped back to the entry's bytes as text. */
function csvEntries(csv: string): Map<string, string[]> {
  const bySecond = new Map<string, string[]>();
  for (const line of csv.split('\n').slice(1)) {
    const m = /^([^,]+),(?:[^,]*,){6}"(.*)"$/.exec(line);
    if (!m) continue;
    const list = bySecond.get(m[1]!) ?? [];
    list.push(unescapeName(m[2]!.replace(/""/g, '"')).toString('utf8'));
    bySecond.set(m[1]!, list);
  }
  return bySecond;
}

describe.skipIf(!canRun)('responder logins on a real Debian guest’s files vs last, lastb, journalctl', () => {
  let result: Out;
  const manifest = readGuestLoginsManifest();
  const find = (pred: (r: Row) => boolean, what: string) => {
    const rows = result.sessions.filter(pred);
    expect(rows, `${what} in ${JSON.stringify(result.sessions, null, 1)}`).toHaveLength(1);
    return rows[0]!;
  };

  beforeAll(async () => {
    extractGuestLogins(EV);
    const r = await runResponder(['logins', EV, '--json', '--body', path.join(WORK, 'logs.body'), '--csv', path.join(WORK, 'logs.csv')], { cwd: WORK, env });
    expect([0, 1], r.stderr).toContain(r.code);
    result = JSON.parse(r.stdout.toString('utf8')) as Out;
  }, 120_000);
  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  it('reads every file the guest left, the gzipped rotation too, without problems', () => {
    const shown = result.sources.map((s) => s.path);
    for (const f of ['/var/log/auth.log', '/var/log/auth.log.1', '/var/log/auth.log.2.gz', '/var/log/wtmp', '/var/log/wtmp.1', '/var/log/btmp', '/var/log/btmp.1']) expect(shown).toContain(f);
    expect(result.sources.filter((s) => s.kind === 'journal').length).toBeGreaterThanOrEqual(2); // the live file and the one --rotate archived
    for (const s of result.sources) expect(s.note, s.path).toBeUndefined();
    // A user journal opened again after --rotate can be empty; every other file has entries.
    for (const s of result.sources) if (!/\/user-\d+\.journal$/.test(s.path)) expect(s.entries, s.path).toBeGreaterThan(0);
    expect(result.problems).toEqual([]);
    // Nothing was removed from these logs: no gap may be reported (journald's user files share the
    // system file's sequence counter under their own ids; that is no hole).
    expect(result.findings).toEqual([]);
  });

  it('has every wtmp login and boot that `last -f` shows, with the same end', () => {
    for (const name of ['wtmp.1', 'wtmp']) {
      const source = `/var/log/${name}`;
      const reference = last('last', path.join(LOG, name));
      expect(reference.length, name).toBeGreaterThan(0);
      const ours = result.sessions.filter((s) => s.sources.includes(source) && (s.kind === 'boot' || s.tty));
      expect(ours.length, `${name}: ${JSON.stringify(reference)}`).toBe(reference.length);
      for (const ref of reference) {
        const row = ours.find((s) => s.user === ref.user && (s.kind === 'boot' ? ref.tty === 'system boot' : s.tty === ref.tty) && Math.abs(s.start - Date.parse(ref.start)) <= 1000);
        expect(row, `last's ${JSON.stringify(ref)}`).toBeDefined();
        if (OPEN_WORDS.includes(ref.end)) expect(row!.endHow).toBe('open');
        else expect(iso(row!.end!)).toBe(ref.end);
        if (row!.kind !== 'boot') expect(row!.from ?? '').toBe(ref.host);
      }
    }
  });

  it('has every btmp failure that `lastb -f` shows', () => {
    let seen = 0;
    for (const name of ['btmp.1', 'btmp']) {
      for (const ref of last('lastb', path.join(LOG, name))) {
        seen++;
        const at = Date.parse(ref.start);
        const near = (s: Row) => s.result === 'failure' && Math.abs(s.start - at) <= 5000 && s.sources.includes(`/var/log/${name}`);
        if (ref.tty.startsWith('ssh:')) {
          const row = result.sessions.find((s) => near(s) && s.user === ref.user && s.from === ref.host);
          expect(row, `lastb's ${JSON.stringify(ref)}`).toBeDefined();
          expect(row!.method).toBe('password'); // sshd's line about the same attempt, merged
        } else {
          // su (util-linux) records the account it was asked for, on its tty: alice's su to bob.
          const row = result.sessions.find((s) => near(s) && s.kind === 'su' && s.target === ref.user && s.tty === ref.tty);
          expect(row, `lastb's ${JSON.stringify(ref)}`).toBeDefined();
        }
      }
    }
    expect(seen).toBe(5); // bob's two wrong ssh passwords, mallory's (sshd writes two records), alice's su to bob
  });

  it('reads every journal entry `journalctl --file` shows, into the timeline', () => {
    const csv = csvEntries(readFileSync(path.join(WORK, 'logs.csv'), 'utf8'));
    const journals = result.sources.filter((s) => s.kind === 'journal');
    for (const j of journals) {
      const file = path.join(EV, j.path);
      const text = execFileSync('journalctl', ['--file', file, '-o', 'short-unix', '-a', '--no-pager', '-q'], { env: hostEnv, encoding: 'utf8', maxBuffer: 1 << 28 });
      // An entry's first line starts with its time; a multi-line message continues indented.
      const firsts = text.split('\n').filter((l) => /^\d+\.\d+ /.test(l));
      expect(firsts.length, j.path).toBe(j.entries);
      for (const line of firsts) {
        const m = /^(\d+)\.\d+ \S+ (.*)$/.exec(line)!;
        const date = iso(Number(m[1]) * 1000);
        const want = `${j.path}: ${m[2]}`;
        expect(
          (csv.get(date) ?? []).some((c) => c === want || c.startsWith(want + '\n')),
          `${date} ${want}`,
        ).toBe(true);
      }
    }
  });

  it('writes the CSV timeline exactly as mactime makes it from our body file', () => {
    const ours = readFileSync(path.join(WORK, 'logs.csv'), 'utf8');
    const mactime = execFileSync('mactime', ['-b', path.join(WORK, 'logs.body'), '-d', '-y', '-z', 'UTC'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(ours).toBe(mactime);
  });

  it('tells the story that happened in the guest', () => {
    const { invalidUser } = STORY;
    const keyLogins = result.sessions.filter((s) => s.kind === 'ssh' && s.user === 'alice' && s.result === 'success');
    expect(keyLogins).toHaveLength(3);
    for (const s of keyLogins) expect([s.method, s.key, s.from]).toEqual(['publickey', manifest.facts.aliceKey, '127.0.0.1']);
    // The first, before both rotations: in the gzipped auth.log, the archived journal and wtmp.1.
    expect(keyLogins[0]!.sources).toEqual(expect.arrayContaining(['/var/log/auth.log.2.gz', '/var/log/wtmp.1']));
    expect(keyLogins[0]!.endHow).toBe('logout');
    expect(keyLogins[2]!.endHow).toBe('open'); // still logged in when the logs were copied
    expect(keyLogins[2]!.sources).toEqual(expect.arrayContaining(['/var/log/auth.log', '/var/log/wtmp']));

    const bobOk = result.sessions.filter((s) => s.kind === 'ssh' && s.user === 'bob' && s.result === 'success');
    expect(bobOk.map((s) => [s.method, s.from, s.endHow])).toEqual([
      ['password', '127.0.0.1', 'logout'],
      ['password', '127.0.0.1', 'logout'],
    ]);
    expect(bobOk[0]!.sources).toEqual(expect.arrayContaining(['/var/log/auth.log.1', '/var/log/wtmp.1']));

    const bobBad = result.sessions.filter((s) => s.user === 'bob' && s.result === 'failure' && s.kind === 'ssh');
    expect(bobBad.map((s) => [s.method, s.from, s.sources.some((x) => x.startsWith('/var/log/btmp'))])).toEqual([
      ['password', '127.0.0.1', true],
      ['password', '127.0.0.1', true],
    ]);
    expect(bobBad[0]!.sources).toEqual(expect.arrayContaining(['/var/log/auth.log.2.gz', '/var/log/btmp.1']));
    const mallory = find((s) => s.user === invalidUser, 'the unknown user');
    expect([mallory.result, mallory.detail, mallory.method]).toEqual(['failure', 'invalid user', 'password']);

    const sudo = result.sessions.filter((s) => s.kind === 'sudo').map((s) => [s.user, s.target, s.result, s.detail]);
    expect(sudo).toEqual([
      ['alice', 'root', 'success', '/usr/bin/id -u'],
      ['bob', 'root', 'failure', 'user NOT in sudoers; /usr/bin/id'],
      ['alice', 'root', 'failure', '1 incorrect password attempt; /usr/bin/id'],
    ]);
    const su = result.sessions.filter((s) => s.kind === 'su').map((s) => [s.user, s.target, s.result, s.endHow ?? '']);
    expect(su).toEqual([
      ['alice', 'bob', 'success', 'logout'],
      ['alice', 'bob', 'failure', ''],
    ]);
  });
});
