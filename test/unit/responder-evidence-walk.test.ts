// SPDX-License-Identifier: GPL-3.0-or-later
// The evidence walker (evidence/walk.ts) and the commands that use it, on real temp trees made
// as root: names that are not UTF-8, names with "|", newline and ESC, symlink loops, links out of
// ROOT, an entry that vanishes between readdir and lstat, another file system mounted below ROOT,
// and a path longer than PATH_MAX. Nothing may be skipped in silence.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { runResponder } from '../helpers/responder-run.js';
import { escapeName, escapeText, terminalSafe, unescapeName } from '../../src/responder/evidence/escape.js';
import { jsonText } from '../../src/responder/lib/output.js';
import { openEvidenceRoot } from '../../src/responder/evidence/root-path.js';
import { ANCHOR_AT, walkEvidence, type WalkEntry, type WalkProblem } from '../../src/responder/evidence/walk.js';
import { runSweep } from '../../src/responder/sweep/run.js';
import { findUnowned } from '../../src/responder/verify/unowned.js';
import { walkTree } from '../../src/responder/timeline/walk.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'evidence-walk-'));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts.reverse()) execFileSync('umount', [m]);
  execFileSync('rm', ['-rf', tmp]); // rm walks with openat: paths past PATH_MAX are no problem for it
});

const KW = Buffer.from([0x6b, 0x77, 0xff, 0xfe, 0x6f, 0x72]); // "kw\xff\xfeor": not UTF-8
const SHOWN_KW = '/usr/bin/kw\\xff\\xfeor';

/** A small system tree: usr/bin with a SUID-root ELF whose name is not UTF-8, and hostile names. */
function tree(name: string): string {
  const root = path.join(tmp, name);
  mkdirSync(path.join(root, 'usr/bin'), { recursive: true });
  mkdirSync(path.join(root, 'etc/cron.d'), { recursive: true });
  copyFileSync('/usr/bin/true', path.join(root, 'usr/bin/true'));
  const kw = Buffer.concat([Buffer.from(path.join(root, 'usr/bin') + '/'), KW]);
  copyFileSync('/usr/bin/true', kw);
  chmodSync(kw, 0o4755);
  writeFileSync(path.join(root, 'usr/bin', 'a|b\nc\x1b[2J'), 'x');
  symlinkSync('loop2', path.join(root, 'usr/bin/loop1'));
  symlinkSync('loop1', path.join(root, 'usr/bin/loop2'));
  symlinkSync('/etc/shadow', path.join(root, 'usr/bin/shadow')); // the analyst's, if followed
  writeFileSync(Buffer.concat([Buffer.from(path.join(root, 'etc/cron.d') + '/'), KW]), '* * * * * root /tmp/x\n');
  return root;
}

function walkAll(root: string, extra: Partial<Parameters<typeof walkEvidence>[1]> = {}) {
  const entries: WalkEntry[] = [];
  const problems: WalkProblem[] = [];
  walkEvidence(root, { readLinks: true, onEntry: (e) => entries.push(e), onProblem: (p) => problems.push(p), ...extra });
  return { entries, problems, shown: entries.map((e) => '/' + escapeName(e.rel)) };
}

describe('evidence walker', () => {
  it('sees names that are not UTF-8, and escapes "|", newline and ESC reversibly', () => {
    const root = tree('names');
    const { entries, problems, shown } = walkAll(root);
    expect(problems).toEqual([]);
    expect(shown).toContain(SHOWN_KW);
    expect(shown).toContain('/usr/bin/a\\x7cb\\x0ac\\x1b[2J');
    const kw = entries.find((e) => e.rel.equals(Buffer.concat([Buffer.from('usr/bin/'), KW])))!;
    expect(Number(kw.stat.mode) & 0o4000).toBe(0o4000);
    expect(unescapeName(escapeName(kw.rel))).toEqual(kw.rel);
    for (const s of shown) expect(s).not.toMatch(/[\x00-\x1f\x7f]/);
  });

  it('never follows links: a loop is two links, a link out of ROOT is only its target', () => {
    const root = tree('links');
    const { entries } = walkAll(root);
    const links = entries.filter((e) => e.stat.isSymbolicLink()).map((e) => [e.name.toString(), e.linkTarget!.toString()]);
    expect(links).toEqual(
      expect.arrayContaining([
        ['loop1', 'loop2'],
        ['loop2', 'loop1'],
        ['shadow', '/etc/shadow'],
      ]),
    );
    expect(entries.every((e) => !e.rel.toString().startsWith('usr/bin/shadow/'))).toBe(true);
  });

  it('reports an entry that vanishes between readdir and lstat', () => {
    const root = tree('vanish');
    const { shown, problems } = walkAll(root, {
      afterList(dir, names) {
        if (dir.toString().endsWith('/usr/bin') && names.some((n) => n.toString() === 'true')) unlinkSync(path.join(dir.toString(), 'true'));
      },
    });
    expect(shown).not.toContain('/usr/bin/true');
    expect(problems).toEqual([expect.objectContaining({ kind: 'vanished', path: '/usr/bin/true' })]);
  });

  it('reports another file system mounted below ROOT instead of entering it', () => {
    const root = tree('mounted');
    const m = path.join(root, 'usr/bin/other');
    mkdirSync(m);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'none', m]);
    mounts.push(m);
    writeFileSync(path.join(m, 'hidden-there'), 'x');
    const { shown, problems } = walkAll(root);
    expect(shown).toContain('/usr/bin/other');
    expect(shown).not.toContain('/usr/bin/other/hidden-there');
    expect(problems).toEqual([expect.objectContaining({ kind: 'other-file-system', path: '/usr/bin/other' })]);
    // Asked to cross: entered.
    expect(walkAll(root, { crossFileSystems: true }).shown).toContain('/usr/bin/other/hidden-there');
  });

  it('walks a path longer than PATH_MAX (4096 bytes) and reports what is too deep', () => {
    const root = tree('deep');
    const part = 'd'.repeat(250);
    const levels = 24; // 24 x 251 bytes: about 6 KB below ROOT
    // mkdir -p refuses paths over PATH_MAX: go down one folder at a time.
    execFileSync('bash', ['-c', `cd "$1" && for i in $(seq ${levels}); do mkdir ${part} && cd ${part} || exit 1; done && cp /usr/bin/true suid && chmod 4755 suid`, '-', path.join(root, 'usr/bin')]);
    const { entries, problems } = walkAll(root);
    expect(problems).toEqual([]);
    const deepest = entries.find((e) => e.name.toString() === 'suid')!;
    expect(deepest).toBeDefined();
    expect(deepest.rel.length).toBeGreaterThan(4096 + ANCHOR_AT / 2);
    expect(Number(deepest.stat.mode) & 0o4000).toBe(0o4000);
    const capped = walkAll(root, { maxDepth: 5 });
    expect(capped.problems).toEqual([expect.objectContaining({ kind: 'too-deep' })]);
  });
});

describe('commands on the walker', () => {
  it('verify: the UNOWNED scan reports the SUID ELF whose name is not UTF-8', () => {
    const root = tree('verify');
    const r = openEvidenceRoot(root);
    const owned = new Map([['usr/bin/true', { package: 'coreutils', ok: true }]]);
    const res = findUnowned(r, owned, new Map());
    const kw = res.findings.find((f) => f.path === SHOWN_KW);
    expect(kw, JSON.stringify(res.findings)).toBeDefined();
    expect(kw!.severity).toBe('high');
    expect(kw!.detail).toMatch(/ELF file.*mode 04755.*SUID.*not valid UTF-8/);
    expect(res.findings.map((f) => f.path)).toContain('/usr/bin/a\\x7cb\\x0ac\\x1b[2J');
    expect(res.findings.map((f) => f.path)).not.toContain('/usr/bin/true');
  });

  it('sweep: the SUID file and the cron file with a non-UTF-8 name are found; walk problems are in the report', async () => {
    const root = tree('sweep');
    const rep = await runSweep({ root, references: [], noReference: true });
    const suid = rep.findings.filter((f) => f.indicator === 'suid').map((f) => f.path);
    expect(suid).toContain(SHOWN_KW);
    expect(rep.findings.some((f) => f.path === '/etc/cron.d/kw\\xff\\xfeor')).toBe(true);
    expect(rep.walkProblems).toEqual([]);
    const m = path.join(root, 'tmp');
    mkdirSync(m);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'none', m]);
    mounts.push(m);
    const again = await runSweep({ root, references: [], noReference: true });
    expect(again.walkProblems).toEqual([expect.objectContaining({ kind: 'other-file-system', path: '/tmp' })]);
  });

  it('timeline: body names are the same escaping, one record per entry', () => {
    const root = tree('timeline');
    const names: string[] = [];
    walkTree(root, { onRecord: (r) => names.push(r.name), onProblem: () => expect.unreachable() });
    expect(names).toContain(SHOWN_KW);
    expect(names).toContain('/usr/bin/shadow -> /etc/shadow');
    for (const n of names) expect(n.split('|')).toHaveLength(1);
  });
});

describe('text output never carries a raw control character', () => {
  const CONTROL = /[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/;

  it('verify: a package name like "\\e[2A\\e[2K" from the evidence\'s status is shown escaped', async () => {
    const root = tree('status');
    mkdirSync(path.join(root, 'var/lib/dpkg'), { recursive: true });
    writeFileSync(path.join(root, 'var/lib/dpkg/status'), 'Package: \x1b[2A\x1b[2K\u202e\nStatus: install ok installed\nVersion: 1\x1b[1m\nArchitecture: amd64\n\n');
    const ref = path.join(tmp, 'ref');
    mkdirSync(ref, { recursive: true });
    writeFileSync(path.join(ref, 'reference.db.gz'), gzipSync('#forensic-live-reference 1\n'));
    const m = path.join(root, 'usr/bin/other'); // another file system in a system folder: a walk problem
    mkdirSync(m);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'none', m]);
    mounts.push(m);
    const res = await runResponder(['verify', root, '--reference', ref]);
    const out = res.stdout.toString();
    expect(out).toContain('WALK-PROBLEM  other-file-system  /usr/bin/other');
    const json = JSON.parse((await runResponder(['verify', root, '--reference', ref, '--json'])).stdout.toString()) as { walkProblems: unknown[] };
    expect(json.walkProblems).toEqual([expect.objectContaining({ kind: 'other-file-system', path: '/usr/bin/other' })]);
    expect(res.code, res.stderr).toBe(1);
    expect(out).toContain('UNVERIFIABLE  \\x1b[2A\\x1b[2K\\xe2\\x80\\xae 1\\x1b[1m (amd64)');
    expect(out).toContain(SHOWN_KW); // and the unowned scan found the SUID file
    expect(out).not.toMatch(CONTROL);
  }, 60_000);

  it('sweep and elf: hostile names are escaped in text output', async () => {
    const root = tree('terminal');
    writeFileSync(path.join(root, 'usr/bin', '.a|b\nc\x1b[2J'), 'x'); // hidden in a system folder: a sweep finding
    const sweep = await runResponder(['sweep', root, '--no-reference']);
    expect(sweep.stdout.toString()).toContain('/usr/bin/.a\\x7cb\\x0ac\\x1b[2J');
    expect(sweep.stdout.toString()).not.toMatch(CONTROL);
    const elf = await runResponder(['elf', path.join(root, 'usr/bin', 'a|b\nc\x1b[2J')]);
    expect(elf.stdout.toString()).toContain('/usr/bin/a\\x7cb\\x0ac\\x1b[2J: NOT-ELF');
    expect(elf.stdout.toString()).not.toMatch(CONTROL);
  }, 60_000);
});

describe('escaping', () => {
  it('escapes bidi marks and line separators too, reversibly', () => {
    for (const c of ['\u200e', '\u200f', '\u061c', '\u2028', '\u2029', '\u202e', '\u2066', '\u0085']) {
      const raw = Buffer.from(`a${c}b`);
      const esc = escapeName(raw);
      expect(esc).toMatch(/^a(\\x[0-9a-f]{2})+b$/);
      expect(unescapeName(esc)).toEqual(raw);
    }
    expect(escapeText('pkg\x1b[2A')).toBe('pkg\\x1b[2A');
  });

  it('terminalSafe leaves text, newlines, tabs and backslashes, and makes every control visible', () => {
    expect(terminalSafe('a\\x41\tb\nc')).toBe('a\\x41\tb\nc');
    expect(terminalSafe('\x1b[2J\x07\x7f\u009b\u202e\u2066x')).toBe('\\x1b[2J\\x07\\x7f\\xc2\\x9b\\xe2\\x80\\xae\\xe2\\x81\\xa6x');
    expect(JSON.parse(jsonText({ s: '\u202e\u0085\x1b' }))).toEqual({ s: '\u202e\u0085\x1b' });
    expect(jsonText({ s: '\u202e\u0085\x1b' }, 0)).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
  });
});
