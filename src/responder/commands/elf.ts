// SPDX-License-Identifier: GPL-3.0-or-later
// `responder elf FILE...`: what a binary is and what it loads, without running it.
import type { Command } from '../cli/command.js';
import { saveJsonToCase } from '../case/save.js';
import { parse } from '../cli/args.js';
import { UsageError } from '../lib/errors.js';
import { humanBytes, printJson } from '../lib/output.js';
import { inspectFile, type ElfReport } from '../elf/inspect.js';

const HELP = `Usage: responder elf FILE... [--json]

Parse ELF files without running them (never ldd, which can execute the program): class,
endianness, machine, type, entry point, interpreter, DT_NEEDED, SONAME, RPATH/RUNPATH, sections,
whether stripped and statically linked, and the sha256 of the file. Truncated or hostile files
are reported as malformed with the reason.

Exit status: 0 every file parsed; 1 some file was malformed, not ELF, or unreadable (the others
are still reported); 2 usage error.

With a case open (responder case open), the JSON reports is also saved in the case folder
(elf-<UTC time>.json) and recorded in its journal.`;

function describe(r: ElfReport): string {
  const lines: string[] = [];
  if (r.status !== 'ok') {
    lines.push(`${r.file}: ${r.status.toUpperCase()}: ${r.reason}`);
    if (r.class) lines.push(`  header     ${r.class} ${r.endianness}-endian ${r.machine ?? ''} ${r.type ?? ''}`.trimEnd());
  } else {
    const link = r.linking === 'dynamic' ? 'dynamically linked' : r.linking === 'not-linked' ? 'not linked' : r.linking === 'static-pie' ? 'static-pie linked' : 'statically linked';
    lines.push(`${r.file}: ${r.class} ${r.endianness}-endian ${r.machine} ${r.type}${r.pie ? ' (PIE)' : ''}, ${link}, ${r.stripped ? 'stripped' : 'not stripped'}`);
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

export const elfCommand: Command = {
  name: 'elf',
  summary: 'parse ELF binaries safely (never runs them): interpreter, libraries, sections, sha256',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parse('elf', argv, {});
    if (positionals.length === 0) throw new UsageError('elf needs at least one FILE', 'see: responder elf --help');
    const reports = positionals.map((f) => inspectFile(f));
    await saveJsonToCase('elf', reports);
    if (values.json) printJson(reports);
    else process.stdout.write(reports.map(describe).join('\n\n') + '\n');
    return reports.every((r) => r.status === 'ok') ? 0 : 1;
  },
};
