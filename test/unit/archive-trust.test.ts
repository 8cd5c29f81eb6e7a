// SPDX-License-Identifier: GPL-3.0-or-later
// The archive's chain of trust (src/shared/debian/archive.ts, used by the builder's reference and
// by `responder verify --mirror`) against a local mirror signed with a key made for the test:
// the good chain passes; an InRelease signed by another key, unsigned, or changed after signing is
// refused, and so are a Packages index or a .deb whose hash does not match. Every error names the URL.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchByHash, fetchPackagesIndex, fetchSignedRelease, readIndexPackages } from '../../src/shared/debian/archive.js';
import { fetchSignedRelease as builderFetchSignedRelease } from '../../src/builder/archive/signed-index.js';

const work = mkdtempSync(path.join(tmpdir(), 'fl-archive-'));
const home = path.join(work, 'gnupg');
const www = path.join(work, 'www');
const keyring = path.join(work, 'trusted.gpg');
let mirror = '';
let server: http.Server;
let trustedFpr = '';

const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
const gpg = (args: string[], input?: string) => execFileSync('gpg', ['--homedir', home, '--batch', '--quiet', ...args], { input, encoding: 'utf8' });

function newKey(uid: string): string {
  gpg(['--passphrase', '', '--quick-gen-key', uid, 'ed25519', 'sign', 'never']);
  return /^fpr:+([0-9A-F]{40}):/m.exec(gpg(['--with-colons', '--list-keys', uid]))![1]!;
}

function write(rel: string, data: string | Buffer): Buffer {
  const file = path.join(www, rel);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
  return readFileSync(file);
}

function release(packagesXz: Buffer): string {
  return `Origin: Test\nSuite: SUITE\nDate: Sat, 28 Nov 2026 00:00:00 UTC\nSHA256:\n ${sha256(packagesXz)} ${packagesXz.length} main/binary-amd64/Packages.xz\n`;
}

/** dists/SUITE: the Packages.xz given, and an InRelease over `text` made by `sign`. */
function suite(name: string, packagesXz: Buffer, text: string, sign: (t: string) => string): void {
  write(`dists/${name}/main/binary-amd64/Packages.xz`, packagesXz);
  write(`dists/${name}/InRelease`, sign(text.replace('SUITE', name)));
}

const deb = Buffer.from('not really a .deb, but bytes with a hash\n');

beforeAll(async () => {
  mkdirSync(home, { mode: 0o700 });
  trustedFpr = newKey('Test Archive <archive@example.org>');
  const intruder = newKey('Intruder <intruder@example.org>');
  execFileSync('gpg', ['--homedir', home, '--batch', '--yes', '--output', keyring, '--export', trustedFpr]);
  const clearsign = (key: string) => (t: string) => gpg(['--local-user', key, '--clearsign'], t);

  write('pool/main/t/tool/tool_1.0-1_amd64.deb', deb);
  const paragraph = `Package: tool\nVersion: 1.0-1\nArchitecture: amd64\nPriority: optional\nFilename: pool/main/t/tool/tool_1.0-1_amd64.deb\nSize: ${deb.length}\nSHA256: ${sha256(deb)}\nDepends: libc6 (>= 2.36)\n\nPackage: other\nVersion: 2\nArchitecture: all\nFilename: pool/main/o/other/other_2_all.deb\nSize: 1\nSHA256: ${'0'.repeat(64)}\n`;
  const xz = execFileSync('xz', ['-c'], { input: paragraph });
  suite('good', xz, release(xz), clearsign(trustedFpr));
  suite('other-key', xz, release(xz), clearsign(intruder));
  suite('unsigned', xz, release(xz), (t) => t);
  suite('changed', xz, release(xz), (t) => clearsign(trustedFpr)(t).replace('Origin: Test', 'Origin: Tesd'));
  // Signed, but the index on the mirror is not the one the Release lists.
  suite('wrong-index', execFileSync('xz', ['-c'], { input: paragraph.replace('1.0-1', '6.6.6') }), release(xz), clearsign(trustedFpr));

  server = http.createServer((req, res) => {
    const file = path.join(www, decodeURIComponent(new URL(req.url!, 'http://x').pathname));
    if (!file.startsWith(www) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  mirror = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`.replace(/\/$/, '');
});

afterAll(() => {
  server?.close();
  rmSync(work, { recursive: true, force: true });
});

const cache = (name: string) => path.join(work, 'cache', name);

describe('archive chain of trust', () => {
  it('accepts InRelease signed by a key in the keyring, then Packages and the .deb by their hashes', async () => {
    const rel = await fetchSignedRelease(mirror, 'good', cache('good'), { keyring });
    expect(rel.signedBy).toEqual([trustedFpr]);
    expect(rel.date).toBe('Sat, 28 Nov 2026 00:00:00 UTC');
    const idx = await fetchPackagesIndex(rel, 'main', 'amd64', cache('idx'));
    const pkgs = await readIndexPackages(idx.file);
    expect(pkgs.map((p) => `${p.name} ${p.version} ${p.arch}`)).toEqual(['tool 1.0-1 amd64', 'other 2 all']);
    expect(pkgs[0]!.depends).toEqual([['libc6']]);
    expect((await readIndexPackages(idx.file, (n) => n === 'other')).map((p) => p.name)).toEqual(['other']);
    const got = await fetchByHash(`${mirror}/${pkgs[0]!.filename}`, pkgs[0]!.sha256, path.join(cache('debs'), 'tool.deb'));
    expect(readFileSync(got.file)).toEqual(deb);
    expect(got.downloaded).toBe(true);
    expect((await fetchByHash(`${mirror}/${pkgs[0]!.filename}`, pkgs[0]!.sha256, got.file)).downloaded).toBe(false);
  });

  for (const [name, why] of [
    ['other-key', 'signed by a key that is not in the keyring'],
    ['unsigned', 'not signed at all'],
    ['changed', 'changed after it was signed'],
  ] as const) {
    it(`refuses an InRelease ${why}, naming its URL`, async () => {
      await expect(fetchSignedRelease(mirror, name, cache(name), { keyring })).rejects.toThrow(`${mirror}/dists/${name}/InRelease: bad or missing signature, refused`);
    });
  }

  it('refuses the real Debian keyring for a release it did not sign', async () => {
    await expect(fetchSignedRelease(mirror, 'good', cache('debian'), { keyring: '/usr/share/keyrings/debian-archive-keyring.gpg' })).rejects.toThrow(/bad or missing signature/);
  });

  it('refuses a Packages index whose hash is not the one in the signed Release', async () => {
    const rel = await fetchSignedRelease(mirror, 'wrong-index', cache('wrong-index'), { keyring });
    await expect(fetchPackagesIndex(rel, 'main', 'amd64', cache('idx2'))).rejects.toThrow(`${mirror}/dists/wrong-index/main/binary-amd64/Packages.xz: SHA256`);
    await expect(fetchPackagesIndex(rel, 'contrib', 'amd64', cache('idx2'))).rejects.toThrow(/does not list contrib\/binary-amd64\/Packages.xz/);
  });

  it('keeps the last InRelease that verified: a badly signed download never replaces it', async () => {
    const dir = cache('keep');
    await fetchSignedRelease(mirror, 'good', dir, { keyring });
    const verified = readFileSync(path.join(dir, 'InRelease'));
    // The same folder, now fed a release signed by the wrong key: refused, and the old copy stays.
    await expect(fetchSignedRelease(mirror, 'other-key', dir, { keyring })).rejects.toThrow(/bad or missing signature/);
    expect(readFileSync(path.join(dir, 'InRelease'))).toEqual(verified);
    expect(readdirSync(dir).filter((n) => n.startsWith('InRelease.new'))).toEqual([]);
  });

  it('the builder falls back to that copy when the archive is unreachable (signature checked again), never on a bad signature', async () => {
    const dir = cache('offline');
    await builderFetchSignedRelease(mirror, 'good', dir, keyring);
    const offline = 'http://127.0.0.1:1';
    const rel = await builderFetchSignedRelease(offline, 'good', dir, keyring);
    expect(rel.signedBy).toEqual([trustedFpr]);
    expect(rel.date).toBe('Sat, 28 Nov 2026 00:00:00 UTC');
    // No earlier copy: the network error itself.
    await expect(builderFetchSignedRelease(offline, 'good', cache('never'), keyring)).rejects.toThrow(`${offline}/dists/good/InRelease`);
    // Reachable but badly signed: refused, even though a verified copy exists.
    await expect(builderFetchSignedRelease(mirror, 'other-key', dir, keyring)).rejects.toThrow(/bad or missing signature/);
    // A copy that no longer verifies (another keyring) is refused offline too.
    await expect(builderFetchSignedRelease(offline, 'good', dir, '/usr/share/keyrings/debian-archive-keyring.gpg')).rejects.toThrow(/bad or missing signature/);
  });

  it('refuses a .deb whose hash is not the one in Packages, and keeps nothing under its name', async () => {
    const file = path.join(cache('debs2'), 'tool.deb');
    await expect(fetchByHash(`${mirror}/pool/main/t/tool/tool_1.0-1_amd64.deb`, 'f'.repeat(64), file)).rejects.toThrow(/tool_1\.0-1_amd64\.deb: SHA256 \w+ does not match the signed index/);
    expect(existsSync(file)).toBe(false);
    await expect(fetchByHash(`${mirror}/pool/missing.deb`, 'f'.repeat(64), file)).rejects.toThrow(`${mirror}/pool/missing.deb: HTTP 404`);
  });
});
