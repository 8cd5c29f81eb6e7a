// SPDX-License-Identifier: GPL-3.0-or-later
// Parser of the results port (the guest's /dev/ttyS1, QEMU's second -serial file). Pure, and
// called repeatedly on a growing file while the guest runs, so an unfinished last line is simply
// not counted yet. Serial noise is tolerated: CR characters, stray bytes before the first `{`,
// lines that are not JSON.
//
// The stream (image/selftest/usr/lib/forensic-live/selftest):
//   {"check":"NAME","pass":true|false,"detail":"..."}     one per check
//   FORENSIC-LIVE-SELFTEST PASS|FAIL
//   ...script output...                                    only with the fw_cfg script
//   FORENSIC-LIVE-SCRIPT EXIT <code>

export interface CheckResult {
  check: string;
  pass: boolean;
  detail: string;
}

export interface ParsedResults {
  checks: CheckResult[];
  /** The final line exactly as the contract spells it, once it has arrived. */
  finalLine?: string;
  verdict?: 'PASS' | 'FAIL';
  /** Text after the final line (so far), up to the EXIT line; undefined before the final line. */
  scriptOutput?: string;
  scriptExitCode?: number;
  /** Complete lines before the final line that were neither checks nor blank (for diagnosis). */
  noise: string[];
}

export const FINAL_PREFIX = 'FORENSIC-LIVE-SELFTEST';
export const SCRIPT_EXIT_PREFIX = 'FORENSIC-LIVE-SCRIPT EXIT';

const FINAL_RE = /FORENSIC-LIVE-SELFTEST (PASS|FAIL)\s*$/;
// Anywhere in the line: the marker may follow script output that did not end with a newline.
const SCRIPT_EXIT_RE = /FORENSIC-LIVE-SCRIPT EXIT (-?\d+)\s*$/;

/**
 * `final`: the guest is gone (QEMU exited), so an unfinished last line is all there will ever be
 * and counts, for example the last words of a script that died mid-line.
 */
export function parseResults(text: string, opts: { final?: boolean } = {}): ParsedResults {
  const result: ParsedResults = { checks: [], noise: [] };
  const clean = text.replace(/\r/g, '');
  const lines = clean.split('\n');
  // The last element is an unfinished line (or '' after a final newline): while the guest runs,
  // it may still grow, so it is not parsed yet.
  const unfinished = lines.pop() ?? '';
  const keepUnfinished = opts.final === true && unfinished !== '';
  if (keepUnfinished) lines.push(unfinished);

  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const final = FINAL_RE.exec(line);
    if (final) {
      result.verdict = final[1] as 'PASS' | 'FAIL';
      result.finalLine = `${FINAL_PREFIX} ${result.verdict}`;
      i++;
      break;
    }
    const check = parseCheckLine(line);
    if (check) result.checks.push(check);
    else if (line.trim() !== '') result.noise.push(line);
  }
  if (!result.verdict) return result;

  const script: string[] = [];
  for (; i < lines.length; i++) {
    const line = lines[i]!;
    const exit = SCRIPT_EXIT_RE.exec(line);
    if (exit) {
      const before = line.slice(0, exit.index);
      if (before !== '') script.push(before);
      result.scriptExitCode = Number(exit[1]);
      break;
    }
    script.push(line);
  }
  if (script.length > 0 || result.scriptExitCode !== undefined) {
    // The output as written: no newline is invented after an unfinished last line.
    const endsUnfinished = keepUnfinished && result.scriptExitCode === undefined;
    result.scriptOutput = script.length > 0 ? script.join('\n') + (endsUnfinished ? '' : '\n') : '';
  }
  return result;
}

/** One check line, or undefined. Tries every `{` so garbage in front of the object is skipped. */
export function parseCheckLine(line: string): CheckResult | undefined {
  for (let at = line.indexOf('{'); at !== -1; at = line.indexOf('{', at + 1)) {
    const end = line.lastIndexOf('}');
    if (end < at) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(line.slice(at, end + 1));
    } catch {
      continue;
    }
    if (value && typeof value === 'object') {
      const v = value as Record<string, unknown>;
      if (typeof v.check === 'string' && typeof v.pass === 'boolean') {
        return { check: v.check, pass: v.pass, detail: typeof v.detail === 'string' ? v.detail : '' };
      }
    }
  }
  return undefined;
}
