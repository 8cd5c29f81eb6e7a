// SPDX-License-Identifier: GPL-3.0-or-later
// What a configuration file *does*, line by line, for the files that decide who gets in and what
// runs: remote login (sshd), sudo, udev, apt, modprobe, systemd units. Each judge returns the
// lines that grant access or run code, with a severity; an empty list means nothing dangerous was
// seen (the file is still reported when no trusted package ships it unchanged: config.ts).
import type { Severity } from '../verify/findings.js';

export interface Verdict {
  severity: Severity;
  what: string;
  line: string;
}

const active = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

/** sshd_config and its drop-ins. sshd takes the first value of most keywords; any value that grants more is reported wherever it stands. */
export function judgeSshd(text: string): Verdict[] {
  const out: Verdict[] = [];
  for (const line of active(text)) {
    const m = /^(\S+)\s*=?\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    const v = value.toLowerCase();
    const add = (severity: Severity, what: string) => out.push({ severity, what, line });
    if (key === 'permitrootlogin' && (v === 'yes' || v === 'without-password' || v === 'forced-commands-only')) add(v === 'yes' ? 'high' : 'medium', 'root may log in over SSH');
    else if (key === 'permitemptypasswords' && v === 'yes') add('critical', 'accounts with an empty password may log in');
    else if (key === 'authorizedkeysfile' && !/^(\.ssh\/authorized_keys|%h\/\.ssh\/authorized_keys)(\s+(\.ssh\/authorized_keys2|%h\/\.ssh\/authorized_keys2))?$/.test(value))
      add('high', 'keys are read from an unusual place');
    else if ((key === 'authorizedkeyscommand' || key === 'authorizedprincipalscommand') && v !== 'none') add('critical', 'a program decides which keys log in');
    else if (key === 'authorizedprincipalsfile' && v !== 'none') add('high', 'certificate principals are read from a file');
    else if (key === 'trustedusercakeys') add('high', 'any key signed by this CA logs in');
    else if (key === 'forcecommand') add('high', 'a program runs at every login');
    else if (key === 'permituserenvironment' && v !== 'no') add('high', 'users may set the environment (LD_PRELOAD) of their session');
    else if (
      key === 'acceptenv' &&
      value.split(/\s+/).some((g) =>
        new RegExp(
          '^' +
            g
              .replace(/[.+^${}()|[\]\\]/g, '\\$&')
              .replace(/\*/g, '.*')
              .replace(/\?/g, '.') +
            '$',
        ).test('LD_PRELOAD'),
      )
    )
      add('high', 'the client may set loader variables');
    else if (key === 'subsystem' && !/^sftp\s+(\/usr\/lib\/openssh\/sftp-server|internal-sftp)(\s|$)/.test(value)) add('high', 'a subsystem runs a program');
    else if (key === 'usepam' && v === 'no') add('medium', 'PAM is not used (account checks skipped)');
    else if (key === 'hostbasedauthentication' && v === 'yes') add('high', 'host-based login (no key, no password)');
    else if (key === 'ignorerhosts' && v === 'no') add('high', '.rhosts files are honoured');
    else if (key === 'strictmodes' && v === 'no') add('medium', 'key files writable by others are accepted');
    else if (key === 'include') add('info', 'includes more configuration');
  }
  return out;
}

/** sudoers and its included files. */
export function judgeSudoers(text: string): Verdict[] {
  const out: Verdict[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const add = (severity: Severity, what: string) => out.push({ severity, what, line });
    if (/^[#@]include(dir)?\s/.test(line)) {
      if (!/^[#@]includedir\s+\/etc\/sudoers\.d\s*$/.test(line)) add('high', 'reads rules from another file or folder');
      continue;
    }
    if (line.startsWith('#')) continue;
    if (/\bNOPASSWD\s*:/.test(line)) add('high', 'root without a password');
    else if (/^Defaults\b.*(!authenticate|env_keep\s*\+?=.*\bLD_|!env_reset|secure_path\s*=.*(\/tmp|\/home|\/dev\/shm))/.test(line)) add('high', 'weakens sudo for everyone');
    else if (/^Defaults\b.*\b(logfile|log_output|iolog_dir)\b/.test(line) || /^Defaults\b.*!(syslog|logfile)/.test(line)) add('medium', 'changes what sudo logs');
    else if (/=\s*(\([^)]*\)\s*)?(\w+\s*:\s*)*ALL\s*$/.test(line) && !/^(root|%sudo|%admin)\s/.test(line)) add('high', 'may run any command as root');
    else if (/^\S+\s+\S+\s*=/.test(line) && !/^(root|%sudo|%admin)\s/.test(line) && !/^(Defaults|Cmnd_Alias|User_Alias|Host_Alias|Runas_Alias)\b/.test(line))
      add('medium', 'grants commands as another user');
  }
  return out;
}

/** udev rules: RUN and PROGRAM run a program as root on a device event. */
export function judgeUdev(text: string): Verdict[] {
  return active(text)
    .filter((l) => /\b(RUN|PROGRAM|IMPORT\{program\})\s*\+?=/.test(l))
    .map((line) => ({ severity: 'high' as Severity, what: 'runs a program as root on a device event', line }));
}

/** apt.conf.d: hooks run as root around every apt or dpkg run. */
export function judgeApt(text: string): Verdict[] {
  return active(text)
    .filter((l) => /(Pre|Post)-Invoke|Pre-Install-Pkgs|Post-Invoke-Success|Update::.*Invoke|DPkg::Tools|APT::Periodic::.*Script|Dir::Bin::/i.test(l))
    .map((line) => ({ severity: 'high' as Severity, what: 'runs a program as root with apt or dpkg', line }));
}

/** modprobe.d: install/remove lines run a shell command when a module is loaded. */
export function judgeModprobe(text: string): Verdict[] {
  return active(text)
    .filter((l) => /^(install|remove)\s/.test(l))
    .map((line) => ({ severity: 'high' as Severity, what: 'runs a command when a kernel module loads', line }));
}

/** systemd units and drop-ins: what runs, and with which loader settings. */
export function judgeUnit(text: string): Verdict[] {
  const out: Verdict[] = [];
  for (const line of active(text)) {
    if (/^Exec[A-Za-z]*\s*=/.test(line)) out.push({ severity: 'high', what: 'runs a program', line });
    else if (/^(Environment|EnvironmentFile|PassEnvironment)\s*=.*\b(LD_PRELOAD|LD_AUDIT|LD_LIBRARY_PATH)\b/.test(line))
      out.push({ severity: 'critical', what: 'sets a loader variable for a service', line });
    else if (/^(EnvironmentFile)\s*=/.test(line)) out.push({ severity: 'medium', what: 'reads its environment from a file', line });
  }
  return out;
}

/** Shell start-up files and environment files: loader variables and downloads. */
export function judgeShell(text: string): Verdict[] {
  const out: Verdict[] = [];
  for (const line of active(text)) {
    if (/\b(LD_PRELOAD|LD_AUDIT|LD_LIBRARY_PATH)\b/.test(line)) out.push({ severity: 'high', what: 'sets a loader variable for sessions', line });
    else if (/\b(curl|wget|nc|ncat|socat|base64\s+-d|\/dev\/tcp\/)/.test(line)) out.push({ severity: 'high', what: 'fetches or runs something from the network', line });
  }
  return out;
}
