// SPDX-License-Identifier: GPL-3.0-or-later
// The rules that keep evidence from excusing itself, on small fixtures: dpkg statoverrides and
// diversions (only those trusted packages make are accepted), compiled Python headers (PEP 552)
// against their trusted source, and the judges of sweep (PAM, sshd, sudoers, ...).
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { judgeAdmin } from '../../src/responder/evidence/dpkg-admin.js';
import { RootResolver } from '../../src/responder/evidence/root-path.js';
import { checkPyc } from '../../src/responder/verify/pyc.js';
import { judgeApt, judgeModprobe, judgeSshd, judgeSudoers, judgeUdev, judgeUnit } from '../../src/responder/sweep/judge.js';
import { judgePam, profileRules } from '../../src/responder/sweep/judge-pam.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fl-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dpkg statoverride and diversions', () => {
  it('accepts only what a trusted, installed package makes; a set-id override is information then', () => {
    const v = judgeAdmin(
      [
        { owner: 'root', group: 'crontab', mode: 0o2755, path: '/usr/bin/crontab' },
        { owner: 'root', group: 'root', mode: 0o4755, path: '/usr/bin/find' },
      ],
      [
        { from: '/bin/sh', to: '/bin/sh.distrib', by: 'dash' },
        { from: '/usr/bin/passwd', to: '/usr/bin/passwd.orig', by: ':' },
      ],
      new Set(['cron', 'dash']),
    );
    expect(v.acceptedModes.get('/usr/bin/crontab')).toBe(0o2755);
    expect(v.setIdOverrides.map((o) => o.path)).toEqual(['/usr/bin/crontab']);
    expect(v.unknownOverrides.map((o) => o.path)).toEqual(['/usr/bin/find']);
    expect([...v.acceptedDiversions.keys()]).toEqual(['/bin/sh']);
    expect(v.unknownDiversions.map((d) => d.from)).toEqual(['/usr/bin/passwd']);
  });

  it('a known override is not accepted when its package is not installed, or with another mode', () => {
    const v = judgeAdmin(
      [
        { owner: 'root', group: 'crontab', mode: 0o2755, path: '/usr/bin/crontab' },
        { owner: 'root', group: 'crontab', mode: 0o4755, path: '/usr/bin/crontab' },
      ],
      [],
      new Set(['dash']),
    );
    expect(v.unknownOverrides).toHaveLength(2);
  });
});

describe('compiled Python files (PEP 552 header against the trusted source)', () => {
  const root = path.join(dir, 'py');
  mkdirSync(path.join(root, 'usr/lib/python3.11/__pycache__'), { recursive: true });
  const src = path.join(root, 'usr/lib/python3.11/mod.py');
  writeFileSync(src, 'print(1)\n');
  utimesSync(src, 1700000000, 1700000000);
  const r = new RootResolver(root);
  const owned = new Map([['usr/lib/python3.11/mod.py', { package: 'p', ok: true, size: 9 }]]);
  const pyc = (name: string, flags: number, mtime: number, size: number, magic = 3495) => {
    const b = Buffer.alloc(32);
    b.writeUInt16LE(magic, 0);
    b.writeUInt16LE(0x0a0d, 2);
    b.writeUInt32LE(flags, 4);
    b.writeUInt32LE(mtime, 8);
    b.writeUInt32LE(size, 12);
    const rel = `usr/lib/python3.11/__pycache__/${name}`;
    writeFileSync(path.join(root, rel), b);
    return checkPyc(r, rel, r.lstat(rel)!, owned, (p) => owned.get(p)?.size).kind;
  };
  it('a header that matches the trusted source is verified', () => expect(pyc('mod.cpython-311.pyc', 0, 1700000000, 9)).toBe('verified'));
  it('a wrong source size, mtime or magic is bad', () => {
    expect(pyc('mod.cpython-311.pyc', 0, 1700000000, 10)).toBe('bad');
    expect(pyc('mod.cpython-311.pyc', 0, 1700000001, 9)).toBe('bad');
    expect(pyc('mod.cpython-311.pyc', 0, 1700000000, 9, 3439)).toBe('bad');
  });
  it('no source beside it is bad; an unchecked hash-based pyc is bad, a checked one is left to Python', () => {
    expect(pyc('trojan.cpython-311.pyc', 0, 1700000000, 9)).toBe('bad');
    expect(pyc('mod.cpython-311.pyc', 1, 0, 0)).toBe('bad');
    expect(pyc('mod.cpython-311.pyc', 3, 0, 0)).toBe('verified');
  });
  it('a source that differs from its package makes the pyc bad', () => {
    owned.set('usr/lib/python3.11/mod.py', { package: 'p', ok: false, size: 9 });
    expect(pyc('mod.cpython-311.pyc', 0, 1700000000, 9)).toBe('bad');
    owned.set('usr/lib/python3.11/mod.py', { package: 'p', ok: true, size: 9 });
  });
});

describe('PAM stacks as libpam reads them', () => {
  const root = path.join(dir, 'pam');
  mkdirSync(path.join(root, 'etc/pam.d'), { recursive: true });
  const r = new RootResolver(root);
  const profiles = profileRules(['Name: Unix\nAuth-Type: Primary\nAuth:\n\t[success=end default=ignore]\tpam_unix.so nullok\nAuth-Initial:\n\t[success=end default=ignore]\tpam_unix.so nullok\n']);
  const clean = '# generated\nauth\t[success=1 default=ignore]\tpam_unix.so nullok\nauth\trequisite\t\t\tpam_deny.so\nauth\trequired\t\t\tpam_permit.so\n';
  it('a common-auth that pam-auth-update writes from the trusted profiles is clean', () => {
    writeFileSync(path.join(root, 'etc/pam.d/common-auth'), clean);
    expect(judgePam(r, '/etc/pam.d/common-auth', profiles, true)).toEqual([]);
  });
  it('a rule it would not write, a deny turned permit, pam_exec, a module by path: each reported, also through @include', () => {
    writeFileSync(path.join(root, 'etc/pam.d/common-auth'), clean.replace('requisite\t\t\tpam_deny.so', 'requisite pam_permit.so') + 'auth optional pam_exec.so /tmp/x\n');
    writeFileSync(path.join(root, 'etc/pam.d/sshd'), 'auth sufficient /dev/shm/p.so\n@include common-auth\n');
    const v = judgePam(r, '/etc/pam.d/sshd', profiles, false);
    expect(v.some((x) => /unusual path/.test(x.what))).toBe(true);
    expect(v.some((x) => /runs a program/.test(x.what))).toBe(true);
    expect(v.filter((x) => /does not write/.test(x.what)).length).toBe(2);
  });
  it('sufficient pam_permit is critical', () => {
    writeFileSync(path.join(root, 'etc/pam.d/login'), 'auth sufficient pam_permit.so\n');
    expect(judgePam(r, '/etc/pam.d/login', profiles, false).map((x) => x.severity)).toEqual(['critical']);
  });
});

describe('judges of sshd, sudoers, udev, apt, modprobe, units', () => {
  it("Debian's sshd defaults are quiet; dangerous settings are not", () => {
    expect(
      judgeSshd(
        'Include /etc/ssh/sshd_config.d/*.conf\nKbdInteractiveAuthentication no\nUsePAM yes\nX11Forwarding yes\nPrintMotd no\nAcceptEnv LANG LC_*\nSubsystem\tsftp\t/usr/lib/openssh/sftp-server\n',
      ).filter((v) => v.severity !== 'info'),
    ).toEqual([]);
    const v = judgeSshd('PermitRootLogin yes\nPermitEmptyPasswords yes\nAuthorizedKeysFile /var/tmp/.k\nAuthorizedKeysCommand /x\nForceCommand /y\nAcceptEnv LD_PRELOAD\n');
    expect(v.map((x) => x.severity)).toEqual(['high', 'critical', 'high', 'critical', 'high', 'high']);
  });
  it("Debian's sudoers is quiet; NOPASSWD, ALL for others and foreign include folders are not", () => {
    expect(
      judgeSudoers(
        'Defaults\tenv_reset\nDefaults\tmail_badpass\nDefaults\tsecure_path="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"\nDefaults\tuse_pty\nroot\tALL=(ALL:ALL) ALL\n%sudo\tALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n',
      ),
    ).toEqual([]);
    expect(judgeSudoers('bob ALL=(ALL) NOPASSWD: ALL\nalice ALL=(ALL) ALL\n#includedir /var/tmp/x\n')).toHaveLength(3);
  });
  it('RUN, hooks, install commands and Exec lines are named', () => {
    expect(judgeUdev('ACTION=="add", RUN+="/tmp/x"\n')).toHaveLength(1);
    expect(judgeApt('APT::Update::Pre-Invoke {"x";};\n')).toHaveLength(1);
    expect(judgeModprobe('install usb-storage /tmp/x\noptions snd x=1\n')).toHaveLength(1);
    expect(
      judgeUnit('[Service]\nEnvironment=LD_PRELOAD=/x.so\nExecStart=/bin/true\n')
        .map((x) => x.severity)
        .sort(),
    ).toEqual(['critical', 'high']);
  });
});
