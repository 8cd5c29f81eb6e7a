// SPDX-License-Identifier: GPL-3.0-or-later
// Turn what a case folder holds into the report: summary, acquired evidence with hashes, findings,
// timeline excerpt, other outputs, folder inventory, and the incident report for the CERT.
import { isoSeconds } from '../timeline/mactime.js';
import type { Custody } from './custody.js';
import type { Block, Inline } from './doc.js';
import { SEVERITIES, type CaseData } from './gather.js';

export interface ReportMeta {
  generated: Date;
  version: string;
  caseDir: string;
}

const bytes = (n: number | undefined) => (n === undefined ? '' : `${n} bytes`);
const yesNo = (v: boolean | undefined) => (v === undefined ? 'unknown (not in the log)' : v ? 'yes' : 'NO');

function caseIds(data: CaseData): string[] {
  return [...new Set(data.custody.map((c) => c.case).filter((c): c is string => Boolean(c)))];
}

function sourceLine(c: Custody): string {
  const s = c.source;
  const extra = [s.model && `model ${s.model}`, s.serial && `serial ${s.serial}`, s.size !== undefined && `${s.size} bytes`].filter(Boolean).join(', ');
  return `${s.path ?? '(unknown source)'}${extra ? ` (${extra})` : ''}`;
}

function custodyBlocks(c: Custody): Block[] {
  const rows: [string, Inline[]][] = [
    ['Custody log', [{ code: c.file }]],
    ['Image', c.image ? [{ code: c.image }] : []],
    ['Source', [{ code: sourceLine(c) }]],
    ['Sector size', c.source.sectorSize !== undefined ? [String(c.source.sectorSize)] : []],
    ['Started (UTC)', c.start ? [c.start] : []],
    ['Ended (UTC)', c.end ? [c.end] : []],
    ['Bytes read / written', [`${bytes(c.bytesRead) || '?'} / ${bytes(c.bytesWritten) || '?'}`]],
    ['Read errors', [c.readErrors === 0 ? 'none' : { strong: `${c.readErrors} (zero-filled in the image)` }, ...c.readErrorDetail.flatMap((d) => [' ', { code: d }])]],
    ['Verified after writing', [c.verified === false ? { strong: 'NO: the image does not match its hashes' } : yesNo(c.verified)]],
    ...c.hashes.map((h): [string, Inline[]] => [h.algorithm, [{ code: h.value }]]),
    ['Case / evidence', [[c.case, c.evidence].map((v) => v ?? '-').join(' / ')]],
    ['Examiner', c.examiner ? [c.examiner] : []],
    ['Notes', c.notes ? [c.notes] : []],
    ['Tool', [`${c.tool ?? '?'} ${c.version ?? ''}`.trim()]],
    ['Command line', c.commandLine ? [{ code: c.commandLine }] : []],
    ['Live image sha256', c.liveImageSha256 ? [{ code: c.liveImageSha256 }] : []],
  ];
  const blocks: Block[] = [
    { kind: 'h', level: 3, text: c.image ?? c.file },
    { kind: 'table', head: ['Field', 'Value'], rows: rows.filter(([, v]) => v.length > 0).map(([k, v]) => [[k], v]) },
  ];
  if (c.pieces.length > 0) {
    const algs = [...new Set(c.pieces.flatMap((p) => p.hashes.map((h) => h.algorithm)))];
    blocks.push({
      kind: 'table',
      head: ['Piece', 'Size', ...algs],
      rows: c.pieces.map((p) => [
        [{ code: p.name }],
        [bytes(p.size)],
        ...algs.map((a): Inline[] => {
          const h = p.hashes.find((x) => x.algorithm === a);
          return h ? [{ code: h.value }] : [];
        }),
      ]),
    });
  }
  return blocks;
}

/** The incident report to send to the CERT, pre-filled with what the case folder proves. */
export function certTemplate(data: CaseData, meta: ReportMeta): string {
  const acquired = data.custody.map((c) => {
    const h = c.hashes.map((x) => `${x.algorithm} ${x.value}`).join(', ');
    return `   - imaged ${sourceLine(c)}${c.start ? ` at ${c.start}` : ''}${h ? `; ${h}` : ''}; verified: ${yesNo(c.verified)}`;
  });
  const serious = data.findings.filter((f) => f.severity === 'critical' || f.severity === 'high').slice(0, 10);
  const ids = caseIds(data);
  return [
    "To:      your local CERT / CSIRT (national team, or your sector or network provider's team)",
    `Subject: Security incident report${ids.length ? ` (our case ${ids.join(', ')})` : ''}: ____________`,
    '',
    '1. Reporting organisation:            ____________',
    '2. Contact (name, role, e-mail, phone, PGP key fingerprint):',
    '                                       ____________',
    '3. Time the incident was detected (UTC, with time zone of any local times):',
    '                                       ____________',
    '   How it was detected:               ____________',
    '4. Systems affected (host name, IP addresses, operating system and version, role):',
    ...(data.custody.length ? data.custody.map((c) => `   - disk ${sourceLine(c)}: host ____________`) : ['   ____________']),
    '5. Kind of incident (intrusion, malware, data theft, defacement, denial of service, other):',
    '                                       ____________',
    '6. What was done so far:',
    '   - host isolated from the network at (UTC): ____________',
    '   - booted from trusted forensic-live media; evidence disks not modified',
    ...(acquired.length ? acquired : ['   - no acquisition recorded in this case folder']),
    '   - other actions: ____________',
    '7. Indicators (attacker IP addresses, domains, file names, hashes, times):',
    ...(serious.length ? serious.map((f) => `   - [${f.severity}] ${f.title}${f.path ? ` (${f.path})` : ''}`) : ['   ____________']),
    '8. Do you want assistance from the CERT?  yes / no',
    '   May this information be shared, anonymised, with other teams?  yes / no',
    '',
    `Prepared with forensic-live responder ${meta.version} on ${isoSeconds(Math.floor(meta.generated.getTime() / 1000))}.`,
  ].join('\n');
}

export function buildReport(data: CaseData, meta: ReportMeta): { title: string; blocks: Block[] } {
  const ids = caseIds(data);
  const title = `Incident report${ids.length ? `: case ${ids.join(', ')}` : ''}`;
  const b: Block[] = [{ kind: 'h', level: 1, text: title }];
  b.push({
    kind: 'p',
    parts: [
      `Generated ${isoSeconds(Math.floor(meta.generated.getTime() / 1000))} by responder ${meta.version} from the case folder `,
      { code: meta.caseDir },
      '. The report only reads the case folder; no evidence was modified.',
    ],
  });

  // Summary
  const unverified = data.custody.filter((c) => c.verified !== true).length;
  const withErrors = data.custody.filter((c) => c.readErrors > 0).length;
  const bySeverity = SEVERITIES.map((s) => [s, data.findings.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  b.push({ kind: 'h', level: 2, text: 'Summary' });
  b.push({
    kind: 'list',
    items: [
      [`Evidence acquired: ${data.custody.length} item(s)` + (data.custody.length ? `, ${data.custody.length - unverified} verified` : '')],
      ...(unverified ? [[{ strong: `${unverified} acquisition(s) NOT verified or without a verification result` }]] : []),
      ...(withErrors ? [[{ strong: `${withErrors} acquisition(s) had read errors (zero-filled)` }]] : []),
      [`Findings: ${data.findings.length}` + (bySeverity.length ? ` (${bySeverity.map(([s, n]) => `${n} ${s}`).join(', ')})` : '')],
      [`Sessions and privilege changes: ${data.sessions.reduce((n, t) => n + t.total, 0)}` + (data.sessions.length ? ` (${data.sessions.reduce((n, t) => n + t.failures, 0)} failed)` : '')],
      [`Timelines: ${data.timelines.length}` + (data.timelines.length ? ` (${data.timelines.reduce((n, t) => n + t.entries, 0)} entries)` : '')],
      [`Files in the case folder: ${data.files.length}`],
      ...(data.problems.length ? [[{ strong: `${data.problems.length} problem(s) reading the case folder, listed at the end` }]] : []),
      ...journalSummary(data),
    ],
  });
  b.push(...journalBlocks(data));

  b.push({ kind: 'h', level: 2, text: 'Acquired evidence' });
  if (data.custody.length === 0) b.push({ kind: 'p', parts: ['No custody log (*.custody.json) in the case folder.'] });
  for (const c of data.custody) b.push(...custodyBlocks(c));

  b.push({ kind: 'h', level: 2, text: 'Findings' });
  if (data.findings.length === 0) b.push({ kind: 'p', parts: ['No findings files (JSON with a "findings" list) in the case folder.'] });
  else {
    const order = (s: string) => SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
    const sorted = [...data.findings].sort((x, y) => order(x.severity) - order(y.severity));
    b.push({
      kind: 'table',
      head: ['Severity', 'Finding', 'Detail', 'Path', 'Time', 'Source'],
      rows: sorted.map((f) => [[f.severity], [f.title], f.detail ? [f.detail] : [], f.path ? [{ code: f.path }] : [], f.time ? [f.time] : [], [{ code: f.source }]]),
    });
  }

  b.push({ kind: 'h', level: 2, text: 'Logins and privilege changes' });
  if (data.sessions.length === 0) b.push({ kind: 'p', parts: ['No sessions table (', { code: 'responder logins ROOT --json > CASE/logins.json' }, ') in the case folder.'] });
  for (const s of data.sessions) {
    b.push({ kind: 'h', level: 3, text: s.file });
    b.push({
      kind: 'p',
      parts: [`${s.total} sessions and privilege changes, ${s.failures} failed${s.rows.length < s.total ? `; the first ${s.rows.length} shown` : ''}. Gaps in the logs are listed under Findings.`],
    });
    b.push({
      kind: 'table',
      head: ['Start (UTC)', 'End', 'Kind', 'Result', 'User', 'As', 'From', 'Method', 'TTY', 'Detail'],
      rows: s.rows.map((c) => c.map((v, k) => (v === '' ? [] : k === 9 || k === 7 ? [{ code: v }] : [v]))),
    });
  }

  b.push({ kind: 'h', level: 2, text: 'Timeline excerpt' });
  if (data.timelines.length === 0) b.push({ kind: 'p', parts: ['No timeline (*.body, or a mactime CSV) in the case folder.'] });
  for (const t of data.timelines) {
    b.push({ kind: 'h', level: 3, text: t.file });
    if (t.kind === 'csv') {
      b.push({ kind: 'p', parts: [`${t.entries} lines; the last ${t.tail.length}:`] });
      b.push({ kind: 'pre', text: t.tail.join('\n') });
      continue;
    }
    const span = t.first !== undefined && t.last !== undefined ? `, from ${isoSeconds(t.first)} to ${isoSeconds(t.last)}` : '';
    b.push({ kind: 'p', parts: [`${t.entries} files, ${t.events} events${span}${t.malformedLines ? `, ${t.malformedLines} unreadable lines` : ''}. The ${t.latest.length} latest events (UTC):`] });
    b.push({
      kind: 'table',
      head: ['Time (UTC)', 'macb', 'Size', 'Mode', 'UID', 'GID', 'Inode', 'Name'],
      rows: t.latest.map((e) => [[isoSeconds(e.time)], [{ code: e.macb }], [String(e.size)], [{ code: e.mode }], [String(e.uid)], [String(e.gid)], [e.inode], [{ code: e.name }]]),
    });
  }

  if (data.otherJson.length) {
    b.push({ kind: 'h', level: 2, text: 'Other command outputs' });
    b.push({ kind: 'table', head: ['File', 'Content'], rows: data.otherJson.map((o) => [[{ code: o.file }], [o.summary]]) });
  }

  b.push({ kind: 'h', level: 2, text: 'Case folder inventory' });
  b.push({ kind: 'table', head: ['File', 'Size', 'Kind'], rows: data.files.map((f) => [[{ code: f.file }], [String(f.size)], [f.kind]]) });

  b.push({ kind: 'h', level: 2, text: 'Reporting the incident to your CERT' });
  b.push({
    kind: 'p',
    parts: [
      'The Securing Debian Manual, section 10.3, advises contacting your local CERT after a security incident that led to a system compromise: they can help you recover, and reporting even when you do not need help lets them see which vulnerabilities, worms and attack tools are in use and warn others. Fill in the blanks below, check every pre-filled line, and send it through the channel your CERT asks for; encrypt it when you can.',
    ],
  });
  b.push({ kind: 'pre', text: certTemplate(data, meta) });

  if (data.problems.length) {
    b.push({ kind: 'h', level: 2, text: 'Problems reading the case folder' });
    b.push({ kind: 'list', items: data.problems.map((p) => [p]) });
  }
  return { title, blocks: b };
}

function journalSummary(data: CaseData): Inline[][] {
  const j = data.journal;
  if (!j) return [['Activity journal: none (no case was open: responder case open)']];
  if (!j.ok) return [[{ strong: `ACTIVITY JOURNAL DOES NOT CHECK OUT: ${j.problems.length} problem(s), listed under "Activity journal"` }]];
  return [[`Activity journal: ${j.entries.length} entries, hash chain intact, ${j.outputsChecked} output file(s) re-hashed and unchanged; head `, { code: j.head ?? '' }]];
}

function journalBlocks(data: CaseData): Block[] {
  const j = data.journal;
  if (!j) return [];
  const b: Block[] = [{ kind: 'h', level: 2, text: 'Activity journal' }];
  if (!j.ok) {
    b.push({ kind: 'p', parts: [{ strong: 'WARNING: the journal or the files it recorded were changed after they were written:' }] });
    b.push({ kind: 'list', items: j.problems.map((p) => [{ strong: p }]) });
  }
  b.push({
    kind: 'p',
    parts: [
      'Every responder command run while the case was open, each entry carrying the sha256 of the previous one. The newest entry is proven only by its hash (head) ',
      { code: j.head ?? '(empty)' },
      ': compare it with the one noted during the work. This report is not in the journal yet: its own entry follows it.',
    ],
  });
  b.push({
    kind: 'table',
    head: ['#', 'Started (UTC)', 'Ended (UTC)', 'Exit', 'Command', 'Outputs (sha256)'],
    rows: j.entries.map((e) => [
      [String(e.seq)],
      [String(e.started)],
      [String(e.finished)],
      [String(e.exitCode)],
      [{ code: (e.command ?? []).join(' ') }],
      (e.outputs ?? []).flatMap((o, i): Inline[] => [...(i ? ['; '] : []), { code: `${o.path} ${o.sha256}` }]),
    ]),
  });
  return b;
}
