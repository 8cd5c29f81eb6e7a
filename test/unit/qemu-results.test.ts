// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { parseCheckLine, parseResults } from '../../src/builder/qemu/results.js';

const PASS_RUN = [
  '{"check":"multi-user","pass":true,"detail":"multi-user.target active, system running"}',
  '{"check":"kernel-cmdline","pass":true,"detail":"matches menuentry \'Forensic live\'"}',
  '{"check":"node","pass":true,"detail":"v18.20.4"}',
  '{"check":"journal-errors","pass":true,"detail":"0"}',
  'FORENSIC-LIVE-SELFTEST PASS',
  '',
].join('\n');

describe('parseResults', () => {
  it('reads the checks and the final line of a clean run', () => {
    const r = parseResults(PASS_RUN);
    expect(r.checks.map((c) => c.check)).toEqual(['multi-user', 'kernel-cmdline', 'node', 'journal-errors']);
    expect(r.checks[2]).toEqual({ check: 'node', pass: true, detail: 'v18.20.4' });
    expect(r.verdict).toBe('PASS');
    expect(r.finalLine).toBe('FORENSIC-LIVE-SELFTEST PASS');
    expect(r.scriptOutput).toBeUndefined();
    expect(r.scriptExitCode).toBeUndefined();
    expect(r.noise).toEqual([]);
  });

  it('tolerates serial noise: CRs, garbage before the first {, blank and junk lines', () => {
    const text =
      '\x00\xff\r\n' +
      'garbage{{ "x" \r\n' +
      '\x1b[0m~~{"check":"a","pass":true,"detail":"x \\"q\\" \\\\ \\u0001"}\r\n' +
      '\r\n' +
      '{"check":"b","pass":false,"detail":"line1\\nline2"}\r\r\n' +
      'FORENSIC-LIVE-SELFTEST FAIL\r\n';
    const r = parseResults(text);
    expect(r.checks).toEqual([
      { check: 'a', pass: true, detail: 'x "q" \\ \u0001' },
      { check: 'b', pass: false, detail: 'line1\nline2' },
    ]);
    expect(r.verdict).toBe('FAIL');
    expect(r.noise).toHaveLength(2);
  });

  it('does not count an unfinished last line (the guest is still writing)', () => {
    const partial = '{"check":"a","pass":true,"detail":"ok"}\n{"check":"b","pass":tr';
    expect(parseResults(partial).checks.map((c) => c.check)).toEqual(['a']);
    // Even a complete-looking object is only taken once its newline has arrived.
    expect(parseResults('{"check":"a","pass":true,"detail":"ok"}').checks).toEqual([]);
    expect(parseResults('{"check":"a","pass":true,"detail":"ok"}\nFORENSIC-LIVE-SELFTEST PA').verdict).toBeUndefined();
    expect(parseResults('{"check":"a","pass":true,"detail":"ok"}\nFORENSIC-LIVE-SELFTEST PASS').verdict).toBeUndefined();
  });

  it('reports a missing final line as no verdict, keeping the checks that arrived', () => {
    const r = parseResults('{"check":"multi-user","pass":true,"detail":"x"}\n{"check":"node","pass":false,"detail":"not found"}\n');
    expect(r.verdict).toBeUndefined();
    expect(r.finalLine).toBeUndefined();
    expect(r.checks).toHaveLength(2);
    expect(r.scriptOutput).toBeUndefined();
  });

  it('an empty log is no result at all', () => {
    expect(parseResults('')).toEqual({ checks: [], noise: [] });
  });

  it('reads the script section and its exit code', () => {
    const r = parseResults(PASS_RUN + 'hello\n  indented\n\nlast\nFORENSIC-LIVE-SCRIPT EXIT 0\n');
    expect(r.verdict).toBe('PASS');
    expect(r.scriptOutput).toBe('hello\n  indented\n\nlast\n');
    expect(r.scriptExitCode).toBe(0);
  });

  it('finds the EXIT marker after output that did not end with a newline', () => {
    const r = parseResults(PASS_RUN + 'one\ntwo-no-newlineFORENSIC-LIVE-SCRIPT EXIT 7\r\n');
    expect(r.scriptOutput).toBe('one\ntwo-no-newline\n');
    expect(r.scriptExitCode).toBe(7);
  });

  it('a script that printed nothing has empty output; one still running has no exit code', () => {
    expect(parseResults(PASS_RUN + 'FORENSIC-LIVE-SCRIPT EXIT 1\n')).toMatchObject({ scriptOutput: '', scriptExitCode: 1 });
    const running = parseResults(PASS_RUN + 'working...\nFORENSIC-LIVE-SCRIPT EX');
    expect(running.scriptOutput).toBe('working...\n');
    expect(running.scriptExitCode).toBeUndefined();
  });

  it('check-like JSON in the script output is script output, not a check', () => {
    const r = parseResults(PASS_RUN + '{"check":"fake","pass":false,"detail":""}\nFORENSIC-LIVE-SCRIPT EXIT 0\n');
    expect(r.checks.map((c) => c.check)).not.toContain('fake');
    expect(r.scriptOutput).toBe('{"check":"fake","pass":false,"detail":""}\n');
  });

  it('final: once QEMU is gone, an unfinished last line counts', () => {
    const text = PASS_RUN + 'started\nhalf a li';
    expect(parseResults(text).scriptOutput).toBe('started\n');
    expect(parseResults(text, { final: true }).scriptOutput).toBe('started\nhalf a li');
    expect(parseResults('{"check":"a","pass":true}', { final: true }).checks).toHaveLength(1);
    expect(parseResults(PASS_RUN + 'x\nFORENSIC-LIVE-SCRIPT EXIT 2', { final: true })).toMatchObject({ scriptOutput: 'x\n', scriptExitCode: 2 });
  });

  it('ignores what follows the EXIT line (shutdown noise)', () => {
    const r = parseResults(PASS_RUN + 'out\nFORENSIC-LIVE-SCRIPT EXIT 3\n\x00\x00junk\n');
    expect(r.scriptOutput).toBe('out\n');
    expect(r.scriptExitCode).toBe(3);
  });
});

describe('parseCheckLine', () => {
  it('rejects objects that are not checks', () => {
    expect(parseCheckLine('{"check":"a"}')).toBeUndefined();
    expect(parseCheckLine('{"check":1,"pass":true}')).toBeUndefined();
    expect(parseCheckLine('{"check":"a","pass":"yes"}')).toBeUndefined();
    expect(parseCheckLine('[1,2]')).toBeUndefined();
    expect(parseCheckLine('no json here')).toBeUndefined();
  });

  it('defaults a missing detail to the empty string and skips a truncated object', () => {
    expect(parseCheckLine('{"check":"a","pass":true}')).toEqual({ check: 'a', pass: true, detail: '' });
    expect(parseCheckLine('{"check":"a","pass":true,"detail":"x')).toBeUndefined();
  });

  it('finds the object behind stray braces', () => {
    expect(parseCheckLine('{ junk } {"check":"a","pass":false,"detail":"d"}')).toEqual({ check: 'a', pass: false, detail: 'd' });
  });
});
