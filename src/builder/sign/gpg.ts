// SPDX-License-Identifier: GPL-3.0-or-later
// Detached OpenPGP signatures of SHA256SUMS (`--sign KEYID`, `--sign-key FILE`), made by gpg.
// The key is checked before the build starts (a test signature), so a missing key or a key gpg
// cannot use fails in seconds, not after the build. A key file is imported into a temporary
// GNUPGHOME that is removed, its gpg-agent stopped, on every exit path (the cleanup stack).
import { access, mkdtemp, rename, rm } from 'node:fs/promises';
import { constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CleanupStack } from '../exec/cleanup.js';
import { run } from '../exec/run.js';
import { CommandError, UserError } from '../errors.js';

export interface SignRequest {
  /** A key in the user's keyring (GNUPGHOME or ~/.gnupg), or in --sign-key FILE when both are given. */
  keyId?: string;
  /** An armored (or binary) secret key file, imported into a temporary keyring. */
  keyFile?: string;
}

export interface Signer {
  /** The signing key's fingerprint. */
  fingerprint: string;
  /** Writes FILE's detached, armored signature to SIGNATURE (through SIGNATURE.partial). */
  sign(file: string, signature: string): Promise<void>;
}

export async function prepareSigner(req: SignRequest, cleanup: CleanupStack): Promise<Signer | undefined> {
  if (!req.keyId && !req.keyFile) return undefined;
  const home = req.keyFile ? await temporaryKeyring(req.keyFile, cleanup) : undefined;
  const base = ['gpg', '--batch', '--no-tty', ...(home ? ['--homedir', home] : [])];
  const where = req.keyFile ? `the key file ${req.keyFile}` : `your keyring (${process.env.GNUPGHOME ?? '~/.gnupg'})`;
  const fingerprint = await secretKeyFingerprint(base, req.keyId, where);
  const signArgv = [...base, '--yes', '--local-user', fingerprint, '--armor', '--digest-algo', 'SHA512', '--detach-sign'];
  try {
    await run([...signArgv, '--output', '-'], { input: 'build-live signing check\n', label: 'gpg' });
  } catch (err) {
    throw new UserError(
      `gpg cannot sign with key ${fingerprint} from ${where}${err instanceof CommandError ? `: ${lastLine(err.outputTail)}` : ''}`,
      'a key with a passphrase must be unlocked in gpg-agent first, or use a key without one',
    );
  }
  return {
    fingerprint,
    async sign(file, signature) {
      const partial = `${signature}.partial`;
      try {
        await run([...signArgv, '--output', partial, file], { label: 'gpg' });
        await rename(partial, signature);
      } catch (err) {
        await rm(partial, { force: true });
        throw new UserError(`signing ${path.basename(file)} with key ${fingerprint} failed${err instanceof CommandError ? `: ${lastLine(err.outputTail)}` : ''}`);
      }
    },
  };
}

async function temporaryKeyring(keyFile: string, cleanup: CleanupStack): Promise<string> {
  try {
    await access(keyFile, constants.R_OK);
  } catch {
    throw new UserError(`--sign-key ${keyFile}: no such readable file`, undefined, 2);
  }
  const home = await mkdtemp(path.join(os.tmpdir(), 'build-live-gnupg-'));
  cleanup.push(`remove temporary keyring ${home}`, async () => {
    await run(['gpgconf', '--homedir', home, '--kill', 'all'], { allowFailure: true, label: 'gpgconf' }).catch(() => undefined);
    await rm(home, { recursive: true, force: true });
  });
  try {
    await run(['gpg', '--batch', '--no-tty', '--homedir', home, '--import', keyFile], { label: 'gpg' });
  } catch (err) {
    throw new UserError(
      `--sign-key ${keyFile}: gpg cannot import it${err instanceof CommandError ? `: ${lastLine(err.outputTail)}` : ''}`,
      'export it with: gpg --armor --export-secret-keys KEYID > FILE',
      2,
    );
  }
  return home;
}

/** The fingerprint of the one secret key that KEYID names (or of the only one there is). */
async function secretKeyFingerprint(base: string[], keyId: string | undefined, where: string): Promise<string> {
  const r = await run([...base, '--with-colons', '--list-secret-keys', ...(keyId ? [keyId] : [])], { allowFailure: true, label: 'gpg' });
  const fingerprints = parseSecretKeys(r.exitCode === 0 ? r.stdout : '');
  if (fingerprints.length === 1) return fingerprints[0]!;
  if (fingerprints.length === 0) throw new UserError(`no secret key ${keyId ? `'${keyId}' ` : ''}in ${where}`, keyId ? 'list your keys with: gpg --list-secret-keys' : undefined, 2);
  throw new UserError(`${fingerprints.length} secret keys match ${keyId ? `'${keyId}'` : ''} in ${where}: ${fingerprints.join(', ')}`, 'name one with --sign FINGERPRINT', 2);
}

/** Primary secret keys' fingerprints from `gpg --with-colons --list-secret-keys` (sec, then its fpr). */
export function parseSecretKeys(colons: string): string[] {
  const out: string[] = [];
  let wantFpr = false;
  for (const line of colons.split('\n')) {
    const f = line.split(':');
    if (f[0] === 'sec') wantFpr = true;
    else if (f[0] === 'fpr' && wantFpr) {
      out.push(f[9]!);
      wantFpr = false;
    } else if (f[0] === 'ssb') wantFpr = false;
  }
  return out;
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).pop() ?? 'no output';
}
