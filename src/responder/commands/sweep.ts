// SPDX-License-Identifier: GPL-3.0-or-later
// `responder sweep ROOT`: indicators of persistence and rootkits in a mounted system. See sweep/run.ts.
import type { Command } from '../cli/command.js';
import { saveJsonToCase } from '../case/save.js';
import { parse } from '../cli/args.js';
import { UsageError } from '../lib/errors.js';
import { printJson } from '../lib/output.js';
import { phaseReporter } from '../lib/progress.js';
import { runSweep, type SweepReport } from '../sweep/run.js';

const HELP = `Usage: responder sweep ROOT [--reference DB ...] [--no-reference] [--json]

Look for persistence and rootkit traces in a mounted system (ROOT, mounted read-only), each with a
severity (critical, high, medium, low) and the evidence path:

  preload          /etc/ld.so.preload; LD_PRELOAD/LD_AUDIT/LD_LIBRARY_PATH in environment,
                   profile, systemd and users' shell files
  cron             /etc/crontab, /etc/cron.*, anacrontab, user crontabs and at jobs
  systemd          units, timers and drop-ins (system, user, users' ~/.config/systemd/user)
  init             /etc/rc.local, /etc/init.d, /etc/rc?.d
  authorized-keys  ~/.ssh/authorized_keys{,2} of every account
  sudoers          /etc/sudoers and /etc/sudoers.d (NOPASSWD rules are high)
  pam              /etc/pam.d and PAM modules on disk
  account          UID 0 besides root, empty passwords, password hashes in /etc/passwd
  suid             SUID/SGID files anywhere
  world-writable   world-writable files and folders in system folders
  kernel-module    *.ko files on disk
  tmp-executable   executables in /tmp, /var/tmp, /dev/shm
  hidden           dot-files and dot-folders in system folders, /dev, /tmp, /var
  known-rootkit    paths from public rootkit reports (list from chkrootkit 0.57, cited per path)

With a trusted reference (default: the forensic image's /usr/share/forensic-live/reference;
--reference DIR as for verify), whatever a trusted package ships unchanged is not reported, nor
are links to such files. Without one, everything found is listed. Nothing is executed; symlinks
are never followed out of ROOT.

Exit status: 0 nothing found; 1 findings; 2 error.

With a case open (responder case open), the JSON report is also saved in the case folder
(sweep-<UTC time>.json) and recorded in its journal.`;

function text(rep: SweepReport): string {
  const out: string[] = [];
  out.push(rep.references.length ? `reference: ${rep.references.join(', ')} (${rep.shippedUnchanged} item(s) shipped unchanged by trusted packages, not reported)` : 'no trusted reference: everything found is listed');
  out.push(`${rep.entriesWalked} entries walked in ${(rep.durationMs / 1000).toFixed(1)} s`);
  if (rep.findings.length) {
    out.push('');
    const sw = Math.max(...rep.findings.map((f) => f.severity.length));
    const iw = Math.max(...rep.findings.map((f) => f.indicator.length));
    for (const f of rep.findings) out.push(`${f.severity.toUpperCase().padEnd(sw)}  ${f.indicator.padEnd(iw)}  ${f.path}  ${f.title}: ${f.detail}`);
  }
  out.push('', rep.findings.length ? `${rep.findings.length} finding(s): ${Object.entries(rep.counts).map(([k, n]) => `${n} ${k}`).join(', ')}` : 'nothing found');
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
    else process.stdout.write(text(rep) + '\n');
    return rep.findings.length ? 1 : 0;
  },
};
