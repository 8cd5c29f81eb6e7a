// SPDX-License-Identifier: GPL-3.0-or-later
// File capabilities (the security.capability xattr): `cap_setuid+ep` on a copy of python is a
// root shell that no SUID scan sees, and the reference (made from .deb data) holds no xattrs.
// The live system's getcap (libcap2-bin; never a program of the evidence) lists them, walking ROOT
// without following symlinks; every capability that no trusted package's maintainer script sets
// is a finding. When getcap cannot run, that is said (an "unexamined" finding), never skipped.
//
// getcap prints "PATH CAPS\n" with PATH raw: its output is read as bytes (a name that is not UTF-8
// stays exact) and each line is mapped back to a file that is really there. A name may hold
// spaces, text that looks like capabilities, or newlines (which split its line): a line is joined
// with the next ones until it names a file, and what names no file, or more than one, is a
// finding of its own, never dropped.
import { existsSync, lstatSync } from 'node:fs';
import { runProgramBytes } from '../lib/run-program.js';
import { candidate, shown, type Candidate } from './findings.js';
import type { RootResolver } from '../evidence/root-path.js';
import { escapeName } from '../evidence/escape.js';

/** Capabilities set by trusted packages' postinst (setcap), bookworm. */
const KNOWN: Record<string, string> = {
  '/usr/bin/ping': 'cap_net_raw=ep',
  '/bin/ping': 'cap_net_raw=ep',
};
const ROOT_EQUIVALENT = /cap_(setuid|setgid|sys_admin|dac_override|dac_read_search|sys_ptrace|sys_module|chown|fowner|setfcap|sys_rawio|bpf)/;
/** One clause of cap_to_text ("cap_a,cap_b=ep", "cap_x+i", "=ep") or a user namespace's root id. */
const CLAUSE = /^((all|[a-z0-9_]+(,[a-z0-9_]+)*)?([=+-][eip]*)+|\[rootid=\d+\])$/;
/** How many lines one name may be split into before the pieces are reported as they are. */
const MAX_PARTS = 16;

/** The live system's getcap: its own folders first, so nothing reached through PATH or the evidence runs. */
const getcap = () => ['/usr/sbin/getcap', '/sbin/getcap'].find((p) => existsSync(p)) ?? 'getcap';

export interface CapabilityLine {
  /** The file inside ROOT, raw bytes (no leading slash); absent when the line names no file. */
  rel?: Buffer;
  /** For a line that names no file: what stands where the name would be (ROOT and capabilities cut off). */
  name?: Buffer;
  caps: string;
  /** The line as getcap printed it (joined pieces of a split line included). */
  line: Buffer;
  /** Other files the same line could name (a name ending in text that looks like capabilities). */
  alsoCould?: Buffer[];
}

const SPACE = 0x20;
const NL = Buffer.from('\n');

/** A regular file (not followed if a link) at this host path. */
function isFileThere(abs: Buffer): boolean {
  try {
    return lstatSync(abs, { throwIfNoEntry: false })?.isFile() ?? false;
  } catch {
    return false;
  }
}

/** The files inside `prefix` that one line can name, each with the capabilities that follow it. */
function attribute(line: Buffer, prefix: Buffer, isFile: (abs: Buffer) => boolean): { rel: Buffer; caps: string }[] {
  if (!line.subarray(0, prefix.length).equals(prefix)) return [];
  const hits: { rel: Buffer; caps: string }[] = [];
  let end = line.length;
  for (let sp = line.lastIndexOf(SPACE, end - 1); sp >= prefix.length; sp = line.lastIndexOf(SPACE, sp - 1)) {
    if (!CLAUSE.test(line.subarray(sp + 1, end).toString('latin1'))) break; // caps text lies only at the end
    end = sp;
    const path = line.subarray(0, sp);
    if (sp > prefix.length && isFile(path)) hits.push({ rel: Buffer.from(path.subarray(prefix.length)), caps: line.subarray(sp + 1).toString('latin1') });
    if (sp === 0) break;
  }
  return hits;
}

/** getcap -r output (bytes) mapped back to files; `root` as it was given to getcap. */
export function parseGetcap(out: Buffer, root: string, isFile: (abs: Buffer) => boolean = isFileThere): CapabilityLine[] {
  const base = root.replace(/\/+$/, '');
  const prefix = Buffer.from(base + '/');
  const lines: Buffer[] = [];
  for (let start = 0; start < out.length; ) {
    const nl = out.indexOf(0x0a, start);
    lines.push(out.subarray(start, nl === -1 ? out.length : nl));
    start = nl === -1 ? out.length : nl + 1;
  }
  const found: CapabilityLine[] = [];
  const emit = (line: Buffer, hits: { rel: Buffer; caps: string }[]) => {
    const [first, ...others] = hits;
    found.push({ rel: first!.rel, caps: first!.caps, line, ...(others.length ? { alsoCould: others.map((h) => h.rel) } : {}) });
    for (const o of others) found.push({ rel: o.rel, caps: o.caps, line, alsoCould: [first!.rel, ...others.filter((x) => x !== o).map((x) => x.rel)] });
  };
  const orphan = (pieces: Buffer[]) => {
    const line = Buffer.concat(pieces.flatMap((p, i) => (i ? [NL, p] : [p])));
    if (!line.length) return;
    const caps = capsAtEnd(line);
    const name = line.subarray(line.subarray(0, prefix.length).equals(prefix) ? prefix.length : 0, line.length - (caps ? caps.length + 1 : 0));
    found.push({ caps, line, name: Buffer.from(name) });
  };
  let pending: Buffer[] = [];
  for (const line of lines) {
    pending.push(line);
    const joined = Buffer.concat(pending.flatMap((p, i) => (i ? [NL, p] : [p])));
    const hits = attribute(joined, prefix, isFile);
    if (hits.length) {
      emit(joined, hits);
      pending = [];
      continue;
    }
    if (pending.length > 1) {
      // The earlier pieces may be the remains of a line that names no file: does this one alone name one?
      const alone = attribute(line, prefix, isFile);
      if (alone.length) {
        orphan(pending.slice(0, -1));
        emit(line, alone);
        pending = [];
        continue;
      }
    }
    if (pending.length >= MAX_PARTS) {
      orphan(pending);
      pending = [];
    }
  }
  if (pending.length) orphan(pending);
  return found;
}

/** The capability text a line ends with, for a line that names no file ("" when none). */
function capsAtEnd(line: Buffer): string {
  const words = line.toString('latin1').split(' ');
  let i = words.length;
  while (i > 1 && CLAUSE.test(words[i - 1]!)) i--;
  return words.slice(i).join(' ');
}

export async function capabilityCandidates(r: RootResolver): Promise<Candidate[]> {
  const root = r.root.replace(/\/+$/, '') || '/';
  let stdout: Buffer;
  let stderr: string;
  try {
    ({ stdout, stderr } = await runProgramBytes([getcap(), '-r', root], { maxBuffer: 64 << 20, timeoutMs: 600_000 }));
  } catch (err) {
    return [candidate('unexamined', 'medium', 'file capabilities not examined', '', shown((err as Error).message), false)];
  }
  const out: Candidate[] = [];
  for (const c of parseGetcap(stdout, root)) {
    const severity = ROOT_EQUIVALENT.test(c.caps) ? 'critical' : 'high';
    if (!c.rel) {
      out.push(candidate('capability', severity, 'file capabilities on a line of getcap that names no file in ROOT (a name with a newline?)', c.name!, `getcap line: ${escapeName(c.line)}`, false));
      continue;
    }
    if (!c.alsoCould && KNOWN['/' + c.rel.toString('utf8')] === c.caps) continue;
    const detail = shown(c.caps) + (c.alsoCould ? `; the getcap line could also name ${c.alsoCould.map((o) => '/' + escapeName(o)).join(', ')}` : '');
    out.push(candidate('capability', severity, 'file capabilities (privileges without SUID)', c.rel, detail, false));
  }
  // getcap reports on stderr what it could not read, and still exits 0: the sweep is incomplete there.
  const complaints = stderr.split('\n').filter((l) => l.trim());
  if (complaints.length) out.push(candidate('unexamined', 'medium', `getcap could not examine ${complaints.length} entr${complaints.length === 1 ? 'y' : 'ies'}`, '', shown(complaints[0]!), false));
  return out;
}
