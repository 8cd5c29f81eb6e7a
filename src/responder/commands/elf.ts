// SPDX-License-Identifier: GPL-3.0-or-later
// `responder elf FILE...`: what a binary is and what it loads, without running it.
import type { Command } from '../cli/command.js';
import { saveJsonToCase } from '../case/save.js';
import { parse } from '../cli/args.js';
import { UsageError } from '../lib/errors.js';
import { humanBytes, jsonText, printText } from '../lib/output.js';
import { escapeText } from '../evidence/escape.js';
import { openEvidenceRoot, type RootResolver } from '../evidence/root-path.js';
import { inspectFile, type ElfReport } from '../elf/inspect.js';

const HELP = `Usage: responder elf [--root ROOT] FILE... [--json]

Parse ELF files without running them (never ldd, which can execute the program): class,
endianness, machine, type, entry point, interpreter, DT_NEEDED, SONAME, RPATH/RUNPATH, sections,
whether stripped and statically linked, and the sha256 of the file. Truncated or hostile files
are reported as malformed with the reason; each file has a memory and work budget, and one bad
file never loses the reports of the others (each is printed as soon as it is done).

A symlink is reported as a link (its target, escaped) and never followed: on a mounted evidence
tree an absolute target would name a file of the system you are running on.

Options:
  --root ROOT   FILE is inside the evidence mounted at ROOT (as ROOT/usr/bin/x or /usr/bin/x):
                links are resolved inside ROOT (an absolute target starts again at ROOT, ".."
                stops at ROOT) and the file they end at is parsed
  --json        the reports as a JSON array

Exit status: 0 every file parsed; 1 some file was malformed, not ELF, a symlink, or unreadable
(the others are still reported); 2 usage error.

With a case open (responder case open), the JSON reports are also saved in the case folder
(elf-<UTC time>.json) and recorded in its journal.`;

function describe(r: ElfReport): string {
  const lines: string[] = [];
  const file = escapeText(r.file);
  if (r.status !== 'ok') {
    lines.push(`${file}: ${r.status.toUpperCase()}: ${r.reason}`);
    if (r.class) lines.push(`  header     ${r.class} ${r.endianness}-endian ${r.machine ?? ''} ${r.type ?? ''}`.trimEnd());
  } else {
    const link = r.linking === 'dynamic' ? 'dynamically linked' : r.linking === 'not-linked' ? 'not linked' : r.linking === 'static-pie' ? 'static-pie linked' : 'statically linked';
    lines.push(`${file}: ${r.class} ${r.endianness}-endian ${r.machine} ${r.type}${r.pie ? ' (PIE)' : ''}, ${link}, ${r.stripped ? 'stripped' : 'not stripped'}`);
    if (r.resolved) lines.push(`  resolved   ${r.resolved} (inside ROOT)`);
    lines.push(`  machine    ${r.machineDescription} (${r.machineCode}), OS ABI ${r.osabi}`);
    lines.push(`  entry      ${r.entry}`);
    lines.push(`  interp     ${r.interpreter ?? '-'}`);
    lines.push(`  needed     ${r.needed?.length ? r.needed.join(', ') : '-'}`);
    if (r.soname) lines.push(`  soname     ${r.soname}`);
    if (r.rpath) lines.push(`  rpath      ${r.rpath}`);
    if (r.runpath) lines.push(`  runpath    ${r.runpath}`);
    const names = (r.sections ?? []).filter((s) => s.index > 0).map((s) => s.name);
    lines.push(`  sections   ${names.length}${names.length ? ': ' + names.join(' ') : ''}`);
  }
  if (r.size !== undefined) lines.push(`  size       ${r.size} (${humanBytes(r.size)})`);
  if (r.sha256) lines.push(`  sha256     ${r.sha256}`);
  for (const w of r.warnings) lines.push(`  warning    ${w}`);
  return lines.join('\n');
}

/** FILE inside the evidence: links resolved inside ROOT only, the end of the chain parsed (never followed again). */
function inspectInRoot(r: RootResolver, file: string): ElfReport {
  const root = r.root.replace(/\/+$/, '');
  const inside = file.startsWith(root + '/') ? file.slice(root.length) : file;
  const base: ElfReport = { file, status: 'unreadable', warnings: [] };
  const rel = r.locate(inside.startsWith('/') ? inside : '/' + inside);
  if (rel === undefined || !r.lstat(rel)) return { ...base, reason: `not found inside ${root}` };
  const full = r.lstat(rel)!.isSymbolicLink() ? r.resolveFully(rel) : rel;
  if (full === undefined) return { ...base, status: 'symlink', reason: `symlink that ends nowhere inside ${root} (dangling, or a loop)` };
  return { ...inspectFile(r.abs(full), file), ...(full !== rel ? { resolved: '/' + escapeText(full) } : {}) };
}

/** One file's report; a bug of ours on one file is that file's reason, never the end of the run. */
function inspectOne(file: string, r: RootResolver | undefined): ElfReport {
  try {
    return r ? inspectInRoot(r, file) : inspectFile(file);
  } catch (err) {
    return { file, status: 'unreadable', reason: `could not be inspected: ${(err as Error)?.message ?? String(err)}`, warnings: [] };
  }
}

export const elfCommand: Command = {
  name: 'elf',
  summary: 'parse ELF binaries safely (never runs them): interpreter, libraries, sections, sha256',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parse('elf', argv, { root: { type: 'string' } });
    if (positionals.length === 0) throw new UsageError('elf needs at least one FILE', 'see: responder elf --help');
    const r = values.root !== undefined ? openEvidenceRoot(values.root as string) : undefined;
    let allOk = true;
    const reports: ReturnType<typeof inspectOne>[] = [];
    // Printed one by one: what is done is out even if a later file is slow or hostile.
    positionals.forEach((f, i) => {
      const rep = inspectOne(f, r);
      reports.push(rep);
      if (rep.status !== 'ok') allOk = false;
      if (values.json) process.stdout.write((i === 0 ? '[\n' : ',\n') + jsonText({ ...rep, file: escapeText(rep.file) }));
      else printText((i ? '\n' : '') + describe(rep) + '\n');
    });
    if (values.json) process.stdout.write('\n]\n');
    await saveJsonToCase(
      'elf',
      reports.map((rep) => ({ ...rep, file: escapeText(rep.file) })),
    );
    return allOk ? 0 : 1;
  },
};
