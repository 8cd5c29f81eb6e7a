// SPDX-License-Identifier: GPL-3.0-or-later
// `build-live build --sign KEYID` / `--sign-key FILE`: a detached OpenPGP signature of SHA256SUMS
// that gpgv accepts with the public key alone, and rejects once one byte of SHA256SUMS changes.
// A throwaway key (no passphrase) is made in a temporary GNUPGHOME; the minimal build is warm.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProfile, runCli, CACHE_DIR, TEST_OUT, WORK_DIR } from '../helpers/e2e.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fl-sign-'));
const homes: string[] = [];

function gnupgHome(name: string): string {
  const home = path.join(dir, name);
  mkdirSync(home, { mode: 0o700 });
  homes.push(home);
  return home;
}

function gpg(home: string, args: string[], input?: string): string {
  return execFileSync('gpg', ['--batch', '--no-tty', '--homedir', home, ...args], { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** A key with no passphrase: its fingerprint, the armored secret key file and a public keyring file for gpgv. */
function makeKey(home: string, uid: string, passphrase = ''): { fpr: string; secret: string; keyring: string } {
  gpg(home, ['--passphrase', passphrase, '--pinentry-mode', 'loopback', '--quick-gen-key', uid, 'ed25519', 'sign', 'never']);
  const fpr = /^fpr:+([0-9A-F]{40}):/m.exec(gpg(home, ['--with-colons', '--list-secret-keys']))![1]!;
  const secret = path.join(dir, `${path.basename(home)}.sec.asc`);
  writeFileSync(secret, gpg(home, ['--passphrase', passphrase, '--pinentry-mode', 'loopback', '--armor', '--export-secret-keys', fpr]));
  const keyring = path.join(dir, `${path.basename(home)}.pub.gpg`);
  writeFileSync(keyring, execFileSync('gpg', ['--batch', '--homedir', home, '--export', fpr]));
  return { fpr, secret, keyring };
}

const gpgv = (keyring: string, sig: string, file: string) => spawnSync('gpgv', ['--keyring', keyring, sig, file], { encoding: 'utf8' });
const leftoverKeyrings = () => readdirSync(tmpdir()).filter((n) => n.startsWith('build-live-gnupg-'));

let key: ReturnType<typeof makeKey>;
let home: string;
beforeAll(() => {
  home = gnupgHome('signer');
  key = makeKey(home, 'forensic-live test signing key <sign@example.invalid>');
});
afterAll(() => {
  for (const h of homes) spawnSync('gpgconf', ['--homedir', h, '--kill', 'all']);
  rmSync(dir, { recursive: true, force: true });
});

describe('build-live build --sign / --sign-key', () => {
  it('--sign-key FILE: gpgv verifies SHA256SUMS.sign, and rejects it after one byte of SHA256SUMS changes', async () => {
    const before = leftoverKeyrings();
    const b = await buildProfile('minimal', 'minimal-signed', ['--sign-key', key.secret]);
    const sums = path.join(b.outDir, 'SHA256SUMS');
    const sig = path.join(b.outDir, 'SHA256SUMS.sign');
    expect(readFileSync(sig, 'utf8')).toMatch(/^-----BEGIN PGP SIGNATURE-----/);
    const good = gpgv(key.keyring, sig, sums);
    expect(good.status, good.stderr).toBe(0);
    expect(good.stderr).toContain('Good signature');
    expect(readFileSync(sums, 'utf8')).toContain('  minimal.cdx.json\n');
    const tampered = path.join(dir, 'SHA256SUMS');
    copyFileSync(sums, tampered);
    const bytes = readFileSync(tampered);
    bytes[0] = bytes[0] === 0x30 ? 0x31 : 0x30;
    writeFileSync(tampered, bytes);
    expect(gpgv(key.keyring, sig, tampered).status).not.toBe(0);
    expect(leftoverKeyrings()).toEqual(before); // the temporary GNUPGHOME is gone
  });

  it('--sign KEYID uses the keyring in GNUPGHOME; an unsigned rebuild removes the now stale signature', async () => {
    const out = path.join(TEST_OUT, 'minimal-signed');
    const r = await runCli(['build', '--profile', 'minimal', '--out', out, '--cache', CACHE_DIR, '--work', WORK_DIR, '--sign', key.fpr], { env: { GNUPGHOME: home } });
    expect(r.code, r.stderr).toBe(0);
    expect(gpgv(key.keyring, path.join(out, 'SHA256SUMS.sign'), path.join(out, 'SHA256SUMS')).status).toBe(0);
    await buildProfile('minimal', 'minimal-signed');
    expect(existsSync(path.join(out, 'SHA256SUMS.sign'))).toBe(false);
  });

  it('a missing key, an unreadable key file, a key gpg cannot use or --container is a one-line error before the build', async () => {
    const out = path.join(TEST_OUT, 'minimal-sign-errors');
    const base = ['build', '--profile', 'minimal', '--out', out, '--cache', CACHE_DIR, '--work', WORK_DIR];
    const locked = makeKey(gnupgHome('locked'), 'locked <locked@example.invalid>', 'secret passphrase');
    const cases: [string[], RegExp][] = [
      [['--sign', 'no-such-key@example.invalid'], /^build-live: no secret key 'no-such-key@example\.invalid' in your keyring/m],
      [['--sign-key', path.join(dir, 'missing.asc')], /^build-live: --sign-key .*missing\.asc: no such readable file$/m],
      [['--sign-key', locked.secret], /^build-live: gpg cannot sign with key [0-9A-F]{40} from the key file /m],
      [['--container', 'docker', '--sign', key.fpr], /^build-live: --sign and --sign-key do not work with --container yet$/m],
    ];
    for (const [args, message] of cases) {
      const r = await runCli([...base, ...args], { env: { GNUPGHOME: gnupgHome(`empty-${homes.length}`) } });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace
      expect(existsSync(path.join(out, 'minimal.iso'))).toBe(false); // it stopped before building
      expect(existsSync(path.join(out, 'SHA256SUMS.sign'))).toBe(false);
    }
  });
});
