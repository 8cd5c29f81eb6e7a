// SPDX-License-Identifier: GPL-3.0-or-later
// `responder sweep ROOT`: indicators of persistence and rootkits in a mounted system. See sweep/run.ts.
import type { Command } from '../cli/command.js';
import { saveJsonToCase } from '../case/save.js';
import { parse } from '../cli/args.js';
import { UsageError } from '../lib/errors.js';
import { printJson, printText } from '../lib/output.js';
import { phaseReporter } from '../lib/progress.js';
import { runSweep, type SweepReport } from '../sweep/run.js';

const HELP = `Usage: responder sweep ROOT [--reference DB ...] [--no-reference] [--json]

Look for persistence and rootkit traces in a mounted system (ROOT, mounted read-only), each with a
severity (critical, high, medium, low) and the evidence path:

  preload          /etc/ld.so.preload; LD_PRELOAD/LD_AUDIT/LD_LIBRARY_PATH in environment,
                   profile, systemd and users' shell files
  cron             /etc/crontab, /etc/cron.*, anacrontab, user crontabs and at jobs
  systemd          units, timers, drop-ins and generators (system, user, ~/.config/systemd/user);
                   systemd's debug shell enabled
  init             /etc/rc.local, /etc/init.d, /etc/rc?.d
  authorized-keys  ~/.ssh/authorized_keys{,2} of every account
  sudoers          /etc/sudoers, /etc/sudoers.d and any folder they include (NOPASSWD, ALL)
  pam              PAM stacks with their includes (pam_exec, modules by path, sufficient
                   pam_permit, common-* rules not from the trusted pam-configs), PAM modules
  sshd             sshd_config and its Included drop-ins, sshrc (PermitRootLogin yes,
                   PermitEmptyPasswords, AuthorizedKeysCommand, ForceCommand, ...)
  shell-startup    /etc/profile, profile.d, bash.bashrc, /etc/environment, every account's
                   start-up files (compared with the /etc/skel templates)
  udev, apt-hook, modprobe, motd, loader-config
                   RUN rules, apt Pre/Post-Invoke hooks, modprobe install commands, motd
                   scripts, ld.so.conf(.d), nsswitch.conf, Python .pth/sitecustomize
  dpkg-override    statoverrides and diversions that no trusted package makes
  capability       file capabilities (getcap from libcap2-bin: cap_setuid+ep is a root shell)
  account          UID 0 besides root, empty passwords, password hashes in /etc/passwd,
                   accounts that can log in, members of sudo and other administrative groups
  suid             SUID/SGID files anywhere, set-id folders in system folders
  world-writable   world-writable files and folders in system folders
  kernel-module    *.ko files on disk
  tmp-executable   executables in /tmp, /var/tmp, /dev/shm
  hidden           dot-files and dot-folders in system folders, /dev, /tmp, /var
  known-rootkit    paths from public rootkit reports (list from chkrootkit 0.57, cited per path)

With a trusted reference (default: the forensic image's /usr/share/forensic-live/reference;
--reference DIR as for verify), an item is not reported only when it equals what a trusted
package ships (content, mode, owner root, symlink target; the evidence's own statoverrides
excuse nothing), or a link to such a file, or a file equal to the packaged template it is copied
from (sshd_config, /etc/profile, ~/.bashrc). Without one, everything found is listed. Nothing is executed; symlinks
are never followed out of ROOT.

Entries the walk could not look at (unreadable, vanished, another file system mounted below ROOT,
too deep) are listed as WALK-PROBLEM lines ("walkProblems" in --json): the sweep is incomplete there.

Exit status: 0 nothing found and nothing left unexamined; 1 findings or walk problems; 2 error.

With a case open (responder case open), the JSON report is also saved in the case folder
(sweep-<UTC time>.json) and recorded in its journal.`;

const MAX_PROBLEM_LINES = 50;

function text(rep: SweepReport): string {
  const out: string[] = [];
  out.push(
    rep.references.length
      ? `reference: ${rep.references.join(', ')} (${rep.shippedUnchanged} item(s) shipped unchanged by trusted packages, not reported)`
      : 'no trusted reference: everything found is listed',
  );
  out.push(`${rep.entriesWalked} entries walked in ${(rep.durationMs / 1000).toFixed(1)} s`);
  if (rep.findings.length) {
    out.push('');
    const sw = Math.max(...rep.findings.map((f) => f.severity.length));
    const iw = Math.max(...rep.findings.map((f) => f.indicator.length));
    for (const f of rep.findings) out.push(`${f.severity.toUpperCase().padEnd(sw)}  ${f.indicator.padEnd(iw)}  ${f.path}  ${f.title}: ${f.detail}`);
  }
  if (rep.walkProblems.length) {
    out.push('', `INCOMPLETE: ${rep.walkProblems.length} entr${rep.walkProblems.length === 1 ? 'y' : 'ies'} could not be looked at:`);
    for (const p of rep.walkProblems.slice(0, MAX_PROBLEM_LINES)) out.push(`  WALK-PROBLEM  ${p.kind}  ${p.path}  ${p.message}`);
    if (rep.walkProblems.length > MAX_PROBLEM_LINES) out.push(`  ... and ${rep.walkProblems.length - MAX_PROBLEM_LINES} more (see --json)`);
  }
  out.push(
    '',
    rep.findings.length
      ? `${rep.findings.length} finding(s): ${Object.entries(rep.counts)
          .map(([k, n]) => `${n} ${k}`)
          .join(', ')}`
      : 'nothing found',
  );
  return out.join('\n');
}

export const sweepCommand: Command = {
  name: 'sweep',
  summary: 'look for persistence and rootkit traces (preload, cron, systemd, keys, SUID, ...)',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parse('sweep', argv, {
      reference: { type: 'string', multiple: true },
      'no-reference': { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('sweep needs exactly one ROOT folder', 'see: responder sweep --help');
    const rep = await runSweep({ root: positionals[0]!, references: (values.reference as string[] | undefined) ?? [], noReference: Boolean(values['no-reference']), say: phaseReporter() });
    await saveJsonToCase('sweep', rep);
    if (values.json) printJson(rep);
    else printText(text(rep) + '\n');
    return rep.findings.length || rep.walkProblems.length ? 1 : 0;
  },
};
