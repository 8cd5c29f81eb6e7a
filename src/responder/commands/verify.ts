// SPDX-License-Identifier: GPL-3.0-or-later
// `responder verify ROOT`: "debsums from the CD". See verify/run.ts.
import type { Command } from '../cli/command.js';
import { saveJsonToCase } from '../case/save.js';
import { parse } from '../cli/args.js';
import { UsageError } from '../lib/errors.js';
import { humanBytes, printJson, printText } from '../lib/output.js';
import { Progress, phaseReporter } from '../lib/progress.js';
import { runVerify, type VerifyReport } from '../verify/run.js';
import { DEFAULT_MIRROR_CACHE } from '../verify/online.js';
import { ARCHIVE_KEYRING } from '../../shared/debian/archive.js';

const HELP = `Usage: responder verify ROOT [--reference DB ...] [--debs DIR] [--mirror URL [--suite S ...]] [--json]

Check the packages a mounted Debian system claims to have installed against a TRUSTED reference,
never against its own md5sums (which an intruder can rewrite; debsums trusts them). ROOT is the
evidence's root folder, mounted read-only (responder mount). Reads /var/lib/dpkg/status only to
learn the claimed name, version and architecture of each package, then reports:

  MODIFIED           content, type, size, mode or symlink target differs from the trusted package
  MODIFIED-CONFFILE  a conffile changed (expected to change; review it)
  MISSING            a file the package ships is gone (MISSING-CONFFILE for conffiles)
  TAMPERED-DB        the evidence's md5sums or status Conffiles disagree with the trusted package
  UNVERIFIABLE       no trusted reference for that version: a failure, never a silent pass
  UNOWNED            a file in a system folder (/bin, /sbin, /lib*, /usr/bin, /usr/sbin, /usr/lib*,
                     /usr/local, /etc/systemd, /etc/cron*, /etc/init.d, /etc/ld.so.*, /etc/pam.d,
                     /etc/sudoers*, /etc/ssh, ...) that no trusted package ships; a compiled
                     Python file whose header does not match its trusted source
  STATOVERRIDE       a dpkg statoverride that no trusted package makes (it excuses nothing)
  DIVERSION          a dpkg diversion that no trusted package makes (the file is checked in place)

Information, shown apart (not findings, exit 0): SETID-OVERRIDE (a set-id mode that a trusted
package's own override grants) and UNVERIFIABLE-GENERATED (files package scripts make that
cannot be checked: ld.so.cache, PAM's common-*, SSH host keys; --json lists them under "notes").

Options:
  --reference DB   a reference folder or reference.db.gz (repeatable); default: the forensic
                   image's /usr/share/forensic-live/reference (built from Debian's signed
                   InRelease by build-live; NAME.reference/ next to the ISO)
  --debs DIR       also use the .deb files in DIR, each only if its sha256 is in the reference's
                   signed package index (packages.idx.gz)
  --mirror URL     online, for what no reference covers: a Debian mirror (http://deb.debian.org/debian)
                   whose InRelease is verified with gpgv against Debian's archive keyring, then
                   Packages (hash from the signed Release), then the exact .deb (hash from Packages)
  --suite S        suites to read there (repeatable); default: the evidence's VERSION_CODENAME
                   from /etc/os-release, with CODENAME-updates and CODENAME-security
  --security-mirror URL   where the -security suites are (default: URL with /debian replaced by
                   /debian-security, e.g. http://deb.debian.org/debian-security)
  --keyring FILE   the keyring gpgv checks each InRelease with
                   (default: ${ARCHIVE_KEYRING})
  --cache DIR      where --mirror downloads go, never inside ROOT
                   (default: ${DEFAULT_MIRROR_CACHE})
  --json           the full report as JSON (a "findings" list that responder report reads)

Files are hashed by streaming, never executed; symlinks are compared as links and never followed
out of ROOT. Entries of system folders that cannot be looked at (unreadable, vanished, another file
system mounted there, too deep) are WALK-PROBLEM lines ("walkProblems" in --json). An unsigned or badly signed index, or a file whose hash does not match, is an error
naming the URL: signature checks are never skipped.

Exit status: 0 clean; 1 findings or walk problems; 2 error (no reference, no dpkg status, bad arguments).

With a case open (responder case open), the JSON report is also saved in the case folder
(verify-<UTC time>.json) and recorded in its journal.`;

const MAX_PROBLEM_LINES = 50;

function text(rep: VerifyReport): string {
  const out: string[] = [];
  for (const ref of rep.references) {
    const suites = ref.suites.map((s) => `${s.suite} (${s.date})`).join(', ');
    out.push(`reference: ${ref.database}${suites ? `: ${suites}` : ''}`);
  }
  if (rep.mirror?.suites.length) out.push(`mirror: ${rep.mirror.suites.map((s) => `${s.mirror} ${s.suite} (${s.date})`).join(', ')}`);
  const p = rep.packages;
  out.push(
    `${p.claimed} packages claimed installed: ${p.verified} checked against a trusted reference${p.fromDebs ? ` (${p.fromDebs} from --debs)` : ''}${p.fromMirror ? ` (${p.fromMirror} from --mirror)` : ''}, ${p.unverifiable} UNVERIFIABLE`,
    `${rep.files.checked} packaged files checked (${humanBytes(rep.files.bytesHashed)} hashed), ${rep.files.walked} files in system folders looked at, in ${(rep.durationMs / 1000).toFixed(1)} s`,
  );
  if (rep.untrustedDebs.length) out.push(`ignored (not in the signed index): ${rep.untrustedDebs.join(', ')}`);
  if (rep.findings.length) {
    out.push('');
    const width = Math.max(...rep.findings.map((f) => f.kind.length));
    for (const f of rep.findings) out.push(`${f.kind.padEnd(width)}  ${f.path ?? f.package ?? ''}  ${f.detail}`);
  }
  if (rep.notes.length) {
    // Information, not findings: shown apart and counted, so the clean view stays clean.
    const gen = rep.notes.filter((n) => n.kind === 'UNVERIFIABLE-GENERATED');
    const other = rep.notes.filter((n) => n.kind !== 'UNVERIFIABLE-GENERATED');
    out.push(
      '',
      `information (not findings): ${rep.files.pycVerified} compiled Python file(s) match their trusted source; ${gen.length} generated file(s) cannot be checked against a package (--json lists them)`,
    );
    for (const n of other) out.push(`  ${n.kind}  ${n.path ?? ''}  ${n.detail}`);
  }
  if (rep.walkProblems.length) {
    const n = rep.walkProblems.length;
    out.push('', `INCOMPLETE: ${n} entr${n === 1 ? 'y' : 'ies'} in system folders could not be looked at:`);
    for (const p of rep.walkProblems.slice(0, MAX_PROBLEM_LINES)) out.push(`  WALK-PROBLEM  ${p.kind}  ${p.path}  ${p.message}`);
    if (n > MAX_PROBLEM_LINES) out.push(`  ... and ${n - MAX_PROBLEM_LINES} more (see --json)`);
  }
  out.push('');
  const counts = Object.entries(rep.counts).map(([k, n]) => `${n} ${k}`);
  out.push(
    rep.findings.length
      ? `${rep.findings.length} finding(s): ${counts.join(', ')}`
      : rep.walkProblems.length
        ? 'no findings, but INCOMPLETE (walk problems above)'
        : 'clean: every claimed package matches its trusted reference, nothing unowned in system folders',
  );
  return out.join('\n');
}

export const verifyCommand: Command = {
  name: 'verify',
  summary: "check installed packages against a trusted reference (not the evidence's own md5sums)",
  help: HELP,
  async run(argv) {
    const { values, positionals } = parse('verify', argv, {
      reference: { type: 'string', multiple: true },
      debs: { type: 'string' },
      mirror: { type: 'string' },
      'security-mirror': { type: 'string' },
      suite: { type: 'string', multiple: true },
      keyring: { type: 'string' },
      cache: { type: 'string' },
    });
    const v = values as { mirror?: string; 'security-mirror'?: string; suite?: string[]; keyring?: string; cache?: string };
    if (!v.mirror && (v['security-mirror'] || v.suite || v.keyring || v.cache))
      throw new UsageError('--suite, --security-mirror, --keyring and --cache go with --mirror URL', 'see: responder verify --help');
    const online = v.mirror ? { mirror: v.mirror, securityMirror: v['security-mirror'], suites: v.suite ?? [], keyring: v.keyring, cache: v.cache } : undefined;
    if (positionals.length !== 1) throw new UsageError('verify needs exactly one ROOT folder', 'see: responder verify --help');
    const rep = await runVerify({
      root: positionals[0]!,
      references: (values.reference as string[] | undefined) ?? [],
      debs: values.debs as string | undefined,
      online,
      say: phaseReporter(),
      progress: (label, total) => new Progress(`verify: ${label}`, total, { unit: 'items' }),
    });
    await saveJsonToCase('verify', rep);
    if (values.json) printJson(rep);
    else printText(text(rep) + '\n');
    return rep.findings.length || rep.walkProblems.length ? 1 : 0;
  },
};
