// SPDX-License-Identifier: GPL-3.0-or-later
// `responder case open|show|check|close`: the case folder on the collection disk, which later
// commands write into by default, with its hash-chained activity journal.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from '../cli/command.js';
import { parse } from '../cli/args.js';
import { ResponderError, UsageError } from '../lib/errors.js';
import { createExclusive } from '../lib/durable.js';
import { printJson } from '../lib/output.js';
import { VERSION } from '../lib/version.js';
import { CASE_FILE, JOURNAL, checkChain } from '../case/journal.js';
import { activeCase, clearPointer, pointedCaseDir, readCaseInfo, setPointer, type CaseInfo } from '../case/state.js';

const HELP = `Usage: responder case open DIR --case ID --examiner NAME --evidence ID [--evidence ID ...] [--notes TEXT]
       responder case show | check [DIR] | close

open    make DIR the case folder (a new or empty folder, normally on the collection disk:
        /mnt/collection/CASE-ID), or reopen an existing case folder after a reboot (DIR/case.json
        must then name the same --case). From then on:
          acquire SOURCE              writes DIR/<evidence or device>.raw and its custody log
          verify/sweep ROOT           save their JSON report in DIR as well as printing it
          timeline ROOT               writes its body file into DIR
          elf FILE                    saves its JSON report in DIR
          report                      reports on DIR
        Explicit paths (--out, --body, --log, --case DIR) still win.
        Every responder command run while the case is open is recorded in DIR/${JOURNAL}: command
        line, UTC start and end, exit code, and the sha256 of each file it wrote. Each entry
        carries the sha256 of the previous one, so a later edit breaks the chain.
show    the open case
check   check the journal's chain (of the open case, or of DIR); exit 1 if it is broken
close   stop writing into the case (the folder stays as it is)

The pointer to the open case lives in /run/responder (RAM): after a reboot, open the case again.
Note down the journal head printed after each command: it proves the last entry too.`;

function isEmptyDir(dir: string): boolean {
  return readdirSync(dir).filter((n) => n !== 'lost+found').length === 0;
}

async function open(argv: string[]): Promise<number> {
  const { values, positionals } = parse('case', argv, {
    case: { type: 'string' },
    examiner: { type: 'string' },
    evidence: { type: 'string', multiple: true },
    notes: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('case open takes exactly one DIR', 'see: responder case --help');
  const v = values as { case?: string; examiner?: string; evidence?: string[]; notes?: string; json?: boolean };
  if (!v.case || !v.examiner || !v.evidence?.length) throw new UsageError('case open needs --case ID, --examiner NAME and at least one --evidence ID', 'see: responder case --help');
  const dir = path.resolve(positionals[0]!);
  const reopen = existsSync(path.join(dir, CASE_FILE));
  if (reopen) {
    const info = readCaseInfo(dir);
    if (info.case !== v.case) throw new ResponderError(`${dir} is the folder of case ${JSON.stringify(info.case)}, not ${JSON.stringify(v.case)}`, 1, 'choose another folder for a new case');
  } else {
    if (existsSync(dir) && (!statSync(dir).isDirectory() || !isEmptyDir(dir)))
      throw new ResponderError(`${dir}: exists and is not an empty folder`, 1, 'a case folder starts empty; choose a new folder');
    mkdirSync(dir, { recursive: true, mode: 0o750 });
    const info: CaseInfo = { case: v.case, examiner: v.examiner, evidence: v.evidence, notes: v.notes, opened: new Date().toISOString(), tool: `responder ${VERSION}` };
    await createExclusive(path.join(dir, CASE_FILE), JSON.stringify(info, null, 2) + '\n');
  }
  setPointer(dir);
  if (v.json) printJson({ dir, reopened: reopen, ...readCaseInfo(dir) });
  else process.stdout.write(`case ${v.case} ${reopen ? 'reopened' : 'opened'} in ${dir}\n  later commands write into it; the journal is ${path.join(dir, JOURNAL)}\n`);
  return 0;
}

function check(argv: string[]): number {
  const { values, positionals } = parse('case', argv, {});
  const dir = positionals[0] ? path.resolve(positionals[0]) : activeCase()?.dir;
  if (!dir) throw new UsageError('no case is open; give the case folder: responder case check DIR');
  readCaseInfo(dir);
  const journal = existsSync(path.join(dir, JOURNAL)) ? readFileSync(path.join(dir, JOURNAL), 'utf8') : '';
  const c = checkChain(readFileSync(path.join(dir, CASE_FILE)), journal);
  if (values.json) printJson({ dir, ok: c.ok, entries: c.entries.length, head: c.head ?? null, problems: c.problems });
  else {
    process.stdout.write(
      c.ok ? `journal intact: ${c.entries.length} entries, head ${c.head ?? '(empty)'}\n` : `JOURNAL CHAIN BROKEN in ${path.join(dir, JOURNAL)}:\n${c.problems.map((p) => `  ${p}`).join('\n')}\n`,
    );
  }
  return c.ok ? 0 : 1;
}

export const caseCommand: Command = {
  name: 'case',
  summary: 'open a case folder that later commands write into, with a hash-chained journal',
  help: HELP,
  async run(argv) {
    const [verb, ...rest] = argv;
    if (verb === 'open') return open(rest);
    if (verb === 'check') return check(rest);
    if (verb === 'show') {
      const { values } = parse('case', rest, {});
      const c = activeCase();
      if (values.json) printJson(c ?? null);
      else process.stdout.write(c ? `case ${c.case} (examiner ${c.examiner}; evidence ${c.evidence.join(', ')}) in ${c.dir}\n` : 'no case is open\n');
      return 0;
    }
    if (verb === 'close') {
      parse('case', rest, {});
      const dir = pointedCaseDir();
      clearPointer();
      process.stdout.write(dir ? `case in ${dir} closed; commands no longer write into it\n` : 'no case was open\n');
      return 0;
    }
    throw new UsageError(verb ? `unknown case action "${verb}"` : 'missing action', 'use: responder case open|show|check|close');
  },
};
