// SPDX-License-Identifier: GPL-3.0-or-later
// `responder report` on a fake case folder full of hostile names: everything is escaped in HTML and
// Markdown, custody logs of unknown shape are read defensively, findings and timelines gathered,
// and nothing in the case folder changes.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reportCommand } from '../../src/responder/commands/report.js';
import { normalizeCustody } from '../../src/responder/report/custody.js';
import { htmlEscape, mdCode, mdText, renderHtml, renderMarkdown, visible, type Block } from '../../src/responder/report/doc.js';
import { findingsOf, gatherCase } from '../../src/responder/report/gather.js';

const HOSTILE = '<script>alert(1)</script>';
/** The same as a file name: no "/" possible, plus a quote and a newline. */
const HOSTILE_NAME = '<script>alert("1")\n';

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(p);
      else if (!/report\.(md|html)$/.test(n)) out[p] = createHash('sha256').update(readFileSync(p)).digest('hex') + ':' + st.mtimeMs;
    }
  };
  walk(dir);
  return out;
}

describe('report escaping primitives', () => {
  it('HTML-escapes every markup character', () => {
    expect(htmlEscape(`${HOSTILE}"'&`)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;');
  });
  it('makes control and bidi characters visible', () => {
    expect(visible('a\x1b[2Jb\u202Ec')).toBe('a\\x1b[2Jb\\u202ec');
  });
  it('Markdown text cannot open tags, links or emphasis; code spans survive backticks and pipes', () => {
    expect(mdText(HOSTILE)).toBe('\\<script\\>alert(1)\\</script\\>');
    expect(mdText('1) one')).toBe('1\\) one');
    expect(mdText('[x](javascript:y) *b* _i_ | `c`')).toBe('\\[x\\](javascript:y) \\*b\\* \\_i\\_ \\| \\`c\\`');
    expect(mdText('- not a list')).toBe('\\- not a list');
    expect(mdCode('a`b|c')).toBe('``a`b\\|c``');
    expect(mdCode('x\ny')).toBe('`x\\ny`');
  });
  it('renders tables, code and pre blocks in both formats', () => {
    const blocks: Block[] = [
      { kind: 'h', level: 1, text: HOSTILE },
      { kind: 'table', head: ['k'], rows: [[[{ code: HOSTILE }]]] },
      { kind: 'pre', text: '```\n' + HOSTILE },
    ];
    const html = renderHtml(HOSTILE, [...blocks]);
    expect(html).not.toContain('<script');
    expect(html).toContain("default-src 'none'");
    const md = renderMarkdown([...blocks]);
    expect(md).toContain('````text\n```\n<script>'); // the fence is longer than any run inside
  });
});

describe('custody logs of unknown shape', () => {
  it('reads several plausible layouts, never throws', () => {
    const a = normalizeCustody('a.custody.json', {
      tool: { name: 'responder', version: '0.1.0' },
      argv: ['responder', 'acquire', '/dev/sdb', '--out', 'my disk.raw'],
      startedAt: '2024-05-01T10:00:00Z',
      source: { device: '/dev/sdb', model: 'ACME', serial: 'S123', sizeBytes: 1000 },
      hashes: { total: { sha256: 'ab'.repeat(32), md5: 'cd'.repeat(16) } },
      pieces: [{ file: 'x.000', bytes: 500, hashes: [{ algorithm: 'sha256', value: 'ef'.repeat(32) }] }],
      readErrors: [{ offset: 4096, length: 512 }],
      verification: { ok: true },
    });
    expect(a).toMatchObject({ tool: 'responder', version: '0.1.0', start: '2024-05-01T10:00:00Z', verified: true, readErrors: 1 });
    expect(a.commandLine).toBe("responder acquire /dev/sdb --out 'my disk.raw'");
    expect(a.source).toMatchObject({ path: '/dev/sdb', model: 'ACME', serial: 'S123', size: 1000 });
    expect(a.hashes.map((h) => h.algorithm)).toEqual(['sha256', 'md5']);
    expect(a.pieces[0]).toMatchObject({ name: 'x.000', size: 500 });
    for (const junk of [null, 42, 'x', [], { source: 7, hashes: 'no', pieces: {}, verified: 'maybe' }]) {
      expect(() => normalizeCustody('j', junk)).not.toThrow();
    }
  });
  it('findings convention: objects or strings in a "findings" list', () => {
    expect(findingsOf('f.json', { findings: ['plain', { severity: 'HIGH', title: 't', path: '/x' }, { level: 'bogus' }] })).toEqual([
      { severity: 'info', title: 'plain', source: 'f.json' },
      { severity: 'high', title: 't', path: '/x', detail: undefined, time: undefined, source: 'f.json' },
      { severity: 'info', title: '(untitled finding)', detail: undefined, path: undefined, time: undefined, source: 'f.json' },
    ]);
    expect(findingsOf('f.json', [1, 2])).toBeUndefined();
  });
});

describe('responder report on a hostile case folder', () => {
  let dir: string;
  let caseDir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'responder-report-'));
    caseDir = path.join(dir, 'case 42');
    mkdirSync(path.join(caseDir, 'timelines'), { recursive: true });
    writeFileSync(
      path.join(caseDir, `${HOSTILE_NAME}.raw.custody.json`),
      JSON.stringify({
        tool: 'responder',
        version: '0.1.0',
        commandLine: `responder acquire /dev/sdb --out ${HOSTILE}.raw`,
        start: '2024-05-01T10:00:00Z',
        end: '2024-05-01T10:20:00Z',
        out: `${HOSTILE}.raw`,
        source: { path: '/dev/sdb', model: `<img src=x onerror=alert(2)>`, serial: 'S"1\'23', size: 8_000_000_000 },
        hashes: { sha256: 'a'.repeat(64) },
        readErrors: [],
        verified: true,
        case: 'CASE-42',
        evidence: 'E1',
        examiner: 'A. Analyst',
        notes: 'line one\nline two | pipe `tick`',
      }),
    );
    writeFileSync(path.join(caseDir, `${HOSTILE_NAME}.raw`), 'image bytes');
    writeFileSync(path.join(caseDir, 'findings.json'), JSON.stringify({ findings: [{ severity: 'critical', title: `rootkit ${HOSTILE}`, path: '/usr/bin/<b>ls</b>' }, 'odd cron job'] }));
    writeFileSync(
      path.join(caseDir, 'elf.json'),
      JSON.stringify([
        { file: '/x', status: 'ok' },
        { file: '/y', status: 'malformed' },
      ]),
    );
    writeFileSync(path.join(caseDir, 'broken.json'), '{ not json');
    writeFileSync(
      path.join(caseDir, 'timelines', 'sdb1.body'),
      [
        '0|/etc/passwd|100|r/rrw-r--r--|0|0|1200|1714557600|1714557600|1714557600|0',
        `0|/tmp/${HOSTILE}|101|r/rrwxr-xr-x|0|0|10|1714560000|1714561000|1714561000|0`,
        '0|/link -> tar|get|16|l/lrwxrwxrwx|0|0|7|1714550000|1714550000|1714550000|0', // fls-style raw |
        'garbage line',
      ].join('\n') + '\n',
    );
    symlinkSync('/etc/shadow', path.join(caseDir, 'evil-link.json')); // must not be followed
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gathers custody, findings, timelines and other outputs', async () => {
    const data = await gatherCase(caseDir, { timelineEntries: 2, exclude: [] });
    expect(data.custody).toHaveLength(1);
    expect(data.custody[0]!.hashes).toEqual([{ algorithm: 'sha256', value: 'a'.repeat(64) }]);
    expect(data.findings.map((f) => f.severity)).toEqual(['critical', 'info']);
    expect(data.timelines[0]).toMatchObject({ entries: 3, malformedLines: 1, first: 1714550000, last: 1714561000 });
    expect(data.timelines[0]!.latest.map((e) => e.time)).toEqual([1714560000, 1714561000]);
    expect(data.otherJson).toEqual([{ file: 'elf.json', summary: '2 entries: 1 ok, 1 malformed' }]);
    expect(data.problems.join()).toMatch(/broken\.json: not valid JSON/);
    expect(data.files.find((f) => f.file === 'evil-link.json')!.kind).toMatch(/symlink/);
  });

  it('writes report.md and report.html with everything escaped, and changes nothing else', async () => {
    const before = snapshot(caseDir);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const werr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await reportCommand.run(['--case', caseDir])).toBe(1); // broken.json is a problem worth an exit code
      expect(await reportCommand.run(['--case', caseDir])).toBe(1); // an earlier report is replaced
    } finally {
      write.mockRestore();
      werr.mockRestore();
    }
    expect(snapshot(caseDir)).toEqual(before);
    const html = readFileSync(path.join(caseDir, 'report.html'), 'utf8');
    const md = readFileSync(path.join(caseDir, 'report.md'), 'utf8');
    // No hostile markup survives in the HTML; only our own tags exist.
    expect(html).not.toMatch(/<script|<img|<b>|onerror=alert\(2\)>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(2)&gt;');
    const tags = new Set([...html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase()));
    for (const t of tags)
      expect(['html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'h3', 'p', 'ul', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'code', 'strong', 'pre']).toContain(t);
    // Markdown: hostile text only inside code spans / fences or backslash-escaped.
    let fence: string | undefined; // inside a fenced block nothing is interpreted
    for (const line of md.split('\n')) {
      const f = /^(`{3,})/.exec(line)?.[1];
      if (fence) {
        if (line === fence) fence = undefined;
        continue;
      }
      if (f) {
        fence = f;
        continue;
      }
      const outsideCode = line.replace(/(`+)(?:(?!\1).)*?\1/g, '');
      if (!line.startsWith('<!--')) expect(outsideCode).not.toMatch(/(?<!\\)<(script|img)/);
    }
    expect(fence).toBeUndefined();
    expect(md).toContain('CASE-42');
    expect(md).toMatch(/Securing Debian Manual, section 10\.3/);
    expect(md).toMatch(/1\. Reporting organisation: +_+/);
    expect(md).toContain('a'.repeat(64));
    expect(html).toContain('rootkit &lt;script&gt;');
    expect(html).toContain('&lt;script&gt;alert(&quot;1&quot;)\\x0a.raw.custody.json'); // the file name, newline made visible
    expect(md).toContain('line one\\\\nline two'); // the newline shown as \n, its backslash escaped for Markdown
  });

  it('refuses to overwrite a file that is not an earlier report', async () => {
    const out = path.join(dir, 'notes.md');
    writeFileSync(out, 'my own notes');
    await expect(reportCommand.run(['--case', caseDir, '--out', out])).rejects.toThrow(/not a responder report/);
    expect(readFileSync(out, 'utf8')).toBe('my own notes');
  });

  it('explains a missing case folder in one line', async () => {
    await expect(reportCommand.run(['--case', path.join(dir, 'nope')])).rejects.toThrow(/no such file/);
    await expect(reportCommand.run([])).rejects.toThrow(/--case DIR is required/);
  });
});
