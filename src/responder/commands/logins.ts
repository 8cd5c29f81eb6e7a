// SPDX-License-Identifier: GPL-3.0-or-later
// `responder logins ROOT`: who logged in, from where, when, and what ran as root, from the logs of a
// mounted evidence tree; plus a log timeline (body file, CSV) and the gaps in the logs as findings.
import { existsSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Command } from '../cli/command.js';
import { parse } from '../cli/args.js';
import { openEvidenceRoot } from '../evidence/root-path.js';
import { newOutputOutside } from '../evidence/outside.js';
import { ResponderError, UsageError, describeSystemError } from '../lib/errors.js';
import { collectLogins } from '../logins/collect.js';
import { escapeEvidence } from '../logins/escape.js';
import { formatFindings, formatTable } from '../logins/format.js';
import { LogTimeline } from '../logins/timeline.js';
import { evidenceZone, validZone } from '../logins/tz.js';

const HELP = `Usage: responder logins ROOT [--body FILE] [--csv FILE] [--timezone ZONE] [--json]

Read the login records and logs of a mounted (read-only) evidence tree, without running anything
from it: var/log/wtmp, btmp, lastlog (and rotated wtmp.1, btmp.1...), auth.log and secure (plain
and .gz), and the systemd journal (var/log/journal/**/*.journal and *.journal~, read with this
system's journalctl). Prints:
  - one table of sessions and privilege changes: ssh logins (method, key fingerprint), console
    logins, boots, sudo commands, su, and failures (wrong password, invalid user), with start and
    end; a wtmp login and the sshd message about it are one row;
  - findings about the logs themselves: a journal with missing sequence numbers, wtmp emptied or
    with zeroed records, a log that ends while others go on, time going backwards, a lastlog
    login no other log has.
and writes every log entry as a timeline:
  --body FILE      Sleuth Kit body file (default ./<name of ROOT>-logs.body), one line per entry:
                   name "<log file>: <entry>", the entry's time as all four times; mixes with
                   \`responder timeline\`'s and fls's body files (cat both | mactime -b - -d)
  --csv FILE       the merged, time-sorted timeline as \`mactime -d\` CSV
  --timezone ZONE  time zone of traditional syslog lines (no offset in them): default the
                   evidence's /etc/timezone or /etc/localtime link, else UTC
  --json           sessions, findings (picked up by \`responder report\`), sources, on stdout

Existing files are never overwritten; output inside ROOT is refused.
Exit status: 0 no findings; 1 findings or unreadable logs; 2 usage error.`;

export const loginsCommand: Command = {
  name: 'logins',
  summary: 'sessions, sudo/su and log gaps from wtmp, btmp, lastlog, auth.log and the journal',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parse('logins', argv, { body: { type: 'string' }, csv: { type: 'string' }, timezone: { type: 'string' } });
    if (positionals.length !== 1) throw new UsageError('logins takes exactly one ROOT directory', 'see: responder logins --help');
    const root = path.resolve(positionals[0]!);
    const resolver = openEvidenceRoot(root);
    const tzFlag = values.timezone as string | undefined;
    if (tzFlag !== undefined && !validZone(tzFlag)) throw new UsageError(`--timezone: unknown time zone "${tzFlag}"`, 'use an IANA name such as UTC or Europe/Berlin');
    const zone = tzFlag ?? evidenceZone(resolver) ?? 'UTC';
    const bodyPath = newOutputOutside((values.body as string | undefined) ?? `${path.basename(root) || 'root'}-logs.body`, root, '--body');
    const csvPath = values.csv !== undefined ? newOutputOutside(values.csv as string, root, '--csv') : undefined;

    let timeline: LogTimeline;
    try {
      timeline = new LogTimeline(bodyPath);
    } catch (err) {
      throw describeSystemError(err, bodyPath);
    }
    let result;
    try {
      result = await collectLogins(resolver, zone, (ms, source, text, position) => timeline.add(ms, source, text, position));
      timeline.closeBody();
      if (csvPath) timeline.writeCsv(csvPath);
    } catch (err) {
      timeline.abort();
      for (const p of [bodyPath, csvPath]) if (p && existsSync(p)) unlinkSync(p);
      throw err instanceof ResponderError || err instanceof UsageError ? err : describeSystemError(err, root);
    } finally {
      timeline.cleanup();
    }

    const { sessions, findings, problems, sources } = result;
    if (values.json) {
      process.stdout.write(JSON.stringify({ root, timezone: zone, sessions, findings, lastlog: result.lastlog, sources, problems, body: bodyPath, csv: csvPath }, null, 1) + '\n');
    } else {
      process.stdout.write(`time zone for traditional syslog lines: ${zone}\n\n`);
      process.stdout.write(sessions.length ? formatTable(sessions) : 'no sessions found\n');
      process.stdout.write(findings.length ? `\n${findings.length} finding(s) about the logs:\n${formatFindings(findings)}` : '\nno gaps found in the logs\n');
    }
    for (const p of problems) process.stderr.write(`responder: logins: ${escapeEvidence(p)}\n`);
    process.stderr.write(`logins: ${sources.length} log file(s), ${timeline.count} entries in ${bodyPath}${csvPath ? ` and ${csvPath}` : ''}\n`);
    return findings.length || problems.length ? 1 : 0;
  },
};
