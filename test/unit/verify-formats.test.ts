// SPDX-License-Identifier: GPL-3.0-or-later
// The parsers under `responder verify` and the reference builder: ar, .deb (real packages made by
// dpkg-deb with each compression), the reference database lines, dpkg status, and path
// resolution inside an evidence root that never leaves it.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArError, parseArBuffer } from '../../src/shared/debian/ar.js';
import { normalizeTarPath, parseMd5sums, readDeb } from '../../src/shared/debian/deb.js';
import { escapeField, packageLines, parseRefLine, unescapeField } from '../../src/shared/debian/refdb.js';
import { parseStatus } from '../../src/responder/evidence/dpkg.js';
import { RootResolver } from '../../src/responder/evidence/root-path.js';
import { selectPackages } from '../../src/builder/reference/select.js';
import type { IndexPackage } from '../../src/builder/archive/signed-index.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'verify-unit-'));

function arHeader(name: string, size: number): string {
  return name.padEnd(16) + '0'.padEnd(12) + '0'.padEnd(6) + '0'.padEnd(6) + '100644'.padEnd(8) + String(size).padEnd(10) + '`\n';
}

describe('ar', () => {
  it('lists members with offsets, skipping the padding byte after odd sizes', () => {
    const buf = Buffer.from('!<arch>\n' + arHeader('debian-binary', 4) + '2.0\n' + arHeader('a/', 3) + 'abc\n' + arHeader('b', 2) + 'xy', 'latin1');
    expect(parseArBuffer(buf)).toEqual([
      { name: 'debian-binary', offset: 68, size: 4 },
      { name: 'a', offset: 132, size: 3 },
      { name: 'b', offset: 196, size: 2 },
    ]);
  });
  it('refuses what is not ar, a bad terminator, and members past the end', () => {
    expect(() => parseArBuffer(Buffer.from('hello world'))).toThrow(ArError);
    expect(() => parseArBuffer(Buffer.from('!<arch>\n' + arHeader('x', 4).replace('`\n', 'XX') + 'abcd'))).toThrow(/terminator/);
    expect(() => parseArBuffer(Buffer.from('!<arch>\n' + arHeader('x', 400) + 'abcd'))).toThrow(/past the end/);
  });
});

describe('.deb reading', () => {
  for (const z of ['xz', 'gzip', 'zstd', 'none']) {
    it(`reads a package made by dpkg-deb -Z${z}: files, symlinks, hard links, modes, md5sums, conffiles`, async () => {
      const root = path.join(tmp, `pkg-${z}`);
      mkdirSync(path.join(root, 'DEBIAN'), { recursive: true });
      mkdirSync(path.join(root, 'usr/bin'), { recursive: true });
      mkdirSync(path.join(root, 'etc'), { recursive: true });
      writeFileSync(path.join(root, 'DEBIAN/control'), 'Package: demo\nVersion: 1.0\nArchitecture: all\nMaintainer: x <x@example.org>\nDescription: demo\n');
      writeFileSync(path.join(root, 'DEBIAN/conffiles'), '/etc/demo.conf\n');
      writeFileSync(path.join(root, 'DEBIAN/md5sums'), '5d41402abc4b2a76b9719d911017c592  usr/bin/demo\n');
      writeFileSync(path.join(root, 'usr/bin/demo'), 'hello');
      chmodSync(path.join(root, 'usr/bin/demo'), 0o4755);
      writeFileSync(path.join(root, 'etc/demo.conf'), 'x=1\n');
      symlinkSync('demo', path.join(root, 'usr/bin/demo-link'));
      execFileSync('ln', [path.join(root, 'usr/bin/demo'), path.join(root, 'usr/bin/demo-hard')]);
      const deb = path.join(tmp, `demo-${z}.deb`);
      execFileSync('dpkg-deb', ['--root-owner-group', `-Z${z}`, '--build', root, deb], { stdio: 'ignore' });
      const c = await readDeb(deb);
      expect(c.control).toMatch(/^Package: demo$/m);
      expect(c.conffiles).toEqual(['/etc/demo.conf']);
      expect(c.md5sums.get('/usr/bin/demo')).toBe('5d41402abc4b2a76b9719d911017c592');
      const demo = c.entries.find((e) => e.path === '/usr/bin/demo')!;
      expect(demo).toMatchObject({ type: 'file', mode: 0o4755, size: 5, md5: '5d41402abc4b2a76b9719d911017c592', sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824' });
      expect(c.entries.find((e) => e.path === '/usr/bin/demo-link')).toMatchObject({ type: 'symlink', target: 'demo' });
      expect(c.entries.find((e) => e.path === '/usr/bin/demo-hard')).toMatchObject({ type: 'file', sha256: demo.sha256 });
      // Round trip through the database format.
      const lines = packageLines({ name: 'demo', version: '1.0', arch: 'all', suite: 's', debSha256: 'a'.repeat(64), debSize: 1 }, c);
      const recs = lines.map(parseRefLine);
      expect(recs[0]).toMatchObject({ kind: 'P', name: 'demo' });
      expect(recs.find((r) => r?.kind === 'F' && r.path === '/usr/bin/demo')).toMatchObject({ mode: 0o4755, md5sums: '5d41402abc4b2a76b9719d911017c592', conffile: false });
      expect(recs.find((r) => r?.kind === 'F' && r.path === '/etc/demo.conf')).toMatchObject({ conffile: true, md5sums: undefined });
      expect(recs.find((r) => r?.kind === 'L')).toMatchObject({ path: '/usr/bin/demo-link', target: 'demo' });
    });
  }
  it('refuses a file that is not a package', async () => {
    const f = path.join(tmp, 'not.deb');
    writeFileSync(f, '!<arch>\n' + arHeader('other', 2) + 'xy');
    await expect(readDeb(f)).rejects.toThrow(/not a Debian package/);
  });
});

describe('database and dpkg text', () => {
  it('escapes tabs, newlines and backslashes in paths both ways', () => {
    const odd = 'a\tb\nc\\d';
    expect(escapeField(odd)).toBe('a\\tb\\nc\\\\d');
    expect(unescapeField(escapeField(odd))).toBe(odd);
    expect(() => parseRefLine('F\tonly-two')).toThrow(/damaged/);
  });
  it('normalizes tar and md5sums paths', () => {
    expect(normalizeTarPath('./usr/bin/ls')).toBe('/usr/bin/ls');
    expect(normalizeTarPath('./usr/share/')).toBe('/usr/share');
    expect(parseMd5sums('0123456789abcdef0123456789ABCDEF  bin/ls\ngarbage\n')).toEqual(new Map([['/bin/ls', '0123456789abcdef0123456789abcdef']]));
  });
  it('takes from dpkg status only unpacked packages, with their conffiles', () => {
    const status = [
      'Package: a\nStatus: install ok installed\nVersion: 1\nArchitecture: amd64\nConffiles:\n /etc/a.conf 0123 \n /etc/old 4567 obsolete\n',
      'Package: gone\nStatus: deinstall ok config-files\nVersion: 2\nArchitecture: amd64\n',
      'Package: b\nStatus: install ok half-configured\nVersion: 3\nArchitecture: all\n',
    ].join('\n');
    const p = parseStatus(status);
    expect(p.map((x) => x.name)).toEqual(['a', 'b']);
    expect(p[0]!.conffiles).toEqual([
      { path: '/etc/a.conf', md5: '0123', flags: [] },
      { path: '/etc/old', md5: '4567', flags: ['obsolete'] },
    ]);
  });
});

describe('paths inside an evidence root', () => {
  it('follows merged-/usr links and absolute links inside ROOT, never out of it', () => {
    const root = path.join(tmp, 'root');
    mkdirSync(path.join(root, 'usr/bin'), { recursive: true });
    mkdirSync(path.join(root, 'etc'), { recursive: true });
    symlinkSync('usr/bin', path.join(root, 'bin'));
    symlinkSync('/etc', path.join(root, 'usr/etc-abs')); // absolute: means ROOT/etc
    symlinkSync('../../../../../../tmp', path.join(root, 'usr/escape'));
    writeFileSync(path.join(root, 'usr/bin/ls'), 'x');
    const r = new RootResolver(root);
    expect(r.locate('/bin/ls')).toBe('usr/bin/ls');
    expect(r.locate('/usr/etc-abs/passwd')).toBe('etc/passwd');
    expect(r.resolveDir('/usr/escape')).toBeUndefined(); // ".." stops at ROOT, and ROOT/tmp does not exist
    mkdirSync(path.join(root, 'tmp'));
    expect(new RootResolver(root).resolveDir('/usr/escape')).toBe('tmp'); // ROOT's tmp, never the host's
    expect(r.locate('/bin')).toBe('bin'); // the last component itself is not followed
    expect(r.resolveFully('bin/ls')).toBe('usr/bin/ls');
  });
});

describe('reference selection', () => {
  const pkg = (name: string, version: string, extra: Partial<IndexPackage> = {}): IndexPackage => ({
    name,
    version,
    arch: 'amd64',
    priority: 'optional',
    essential: false,
    filename: `${name}.deb`,
    sha256: name.padEnd(64, '0'),
    size: 1,
    depends: [],
    provides: [],
    installedKiB: 0,
    ...extra,
  });
  it('takes priorities, names and dependencies (through virtual packages), every version of each suite once', () => {
    const main = [pkg('base', '1', { priority: 'required' }), pkg('ssh', '1', { depends: [['libssl'], ['mta']] }), pkg('libssl', '1'), pkg('exim', '1', { provides: ['mta'] }), pkg('other', '1')];
    const security = [pkg('libssl', '2'), pkg('ssh', '1')];
    const { selected, unknown } = selectPackages(
      [
        { suite: 'main', mirror: 'm', packages: main },
        { suite: 'sec', mirror: 's', packages: security },
      ],
      { all: false, priorities: ['required'], packages: ['ssh', 'nonesuch'], dependencies: true },
      'amd64',
    );
    expect(selected.map((s) => `${s.name}=${s.version}@${s.suite}`)).toEqual(['base=1@main', 'exim=1@main', 'libssl=1@main', 'libssl=2@sec', 'ssh=1@main']);
    expect(unknown).toEqual(['nonesuch']);
  });
});
