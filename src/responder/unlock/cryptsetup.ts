// SPDX-License-Identifier: GPL-3.0-or-later
// The live system's own cryptsetup, never anything from the evidence. The key goes in through a
// pipe (--key-file=-) or as the path of a key file the responder names; a passphrase is never an
// argument (argv is visible to every process in /proc), never logged, and zeroed once written.
// Every open is --readonly: the dm-crypt table is read-only and the device is opened O_RDONLY, so
// nothing (not even LUKS2 header repair) can write the evidence through it.
import { spawn } from 'node:child_process';
import { ResponderError } from '../lib/errors.js';
import { runProgram } from '../lib/run-program.js';

export type LuksKey = { passphrase: Buffer } | { keyFile: string };

interface Outcome {
  code: number | null;
  stderr: string;
  timedOut: boolean;
}

/** A hostile header can ask for a huge key derivation (iterations, memory): bounded in time. */
const TIMEOUT_MS = 5 * 60_000;

function runCryptsetup(args: string[], key: LuksKey): Promise<Outcome> {
  const keyArgs = 'passphrase' in key ? ['--key-file=-'] : ['--key-file', key.keyFile];
  const argv = ['--tries', '1', '--disable-external-tokens', ...keyArgs, ...args];
  return new Promise((resolve, reject) => {
    const child = spawn('cryptsetup', argv, { stdio: ['passphrase' in key ? 'pipe' : 'ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, TIMEOUT_MS);
    child.stderr!.on('data', (d: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += d.toString('utf8');
    });
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err.code === 'ENOENT' ? new ResponderError('cryptsetup: program not found', 1, 'install it (Debian package: cryptsetup-bin)') : err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, timedOut });
    });
    if ('passphrase' in key) {
      // EPIPE when cryptsetup exits before reading (bad arguments): its exit code says why.
      child.stdin!.on('error', () => undefined);
      child.stdin!.end(key.passphrase);
    }
  });
}

/**
 * cryptsetup's documented exit codes (cryptsetup(8), RETURN CODES) in words a responder can act on,
 * with cryptsetup's own last line (escaped at printing) when it said more.
 */
export function explainCryptsetupExit(code: number | null, stderr: string, device: string, name?: string): string {
  const said = stderr.trim().split('\n').filter(Boolean).pop() ?? '';
  const why = (() => {
    switch (code) {
      case 1:
        if (/not a valid LUKS device/i.test(said)) return 'no valid LUKS header (corrupt, wiped, or not LUKS)';
        if (/device-mapper|dm_mod/i.test(stderr)) return 'the kernel has no device-mapper (dm_mod, dm_crypt) to create the mapping';
        return 'cryptsetup refused the parameters or the header (wrong parameters)';
      case 2:
        return 'wrong passphrase or key file: no key slot opens with it';
      case 3:
        return "out of memory (the header's key derivation asks for more memory than this machine has)";
      case 4:
        return `wrong device: cryptsetup cannot use ${device}`;
      case 5:
        return `a mapping named "${name ?? '?'}" already exists, or the device is busy (already open?)`;
      default:
        return `cryptsetup exited with ${code === null ? 'a signal' : `code ${code}`}`;
    }
  })();
  return said && !why.includes(said) ? `${why} (cryptsetup: ${said})` : why;
}

function fail(o: Outcome, what: string, device: string, name?: string): never {
  if (o.timedOut)
    throw new ResponderError(
      `${what}: cryptsetup took longer than ${TIMEOUT_MS / 1000} s (the header asks for a very slow key derivation)`,
      1,
      'acquire the encrypted volume and open the copy on a faster machine',
    );
  throw new ResponderError(`${what}: ${explainCryptsetupExit(o.code, o.stderr, device, name)}`);
}

/** Checks header and key without creating anything (no device-mapper needed). `shown`: the source, for messages. */
export async function testLuksKey(device: string, key: LuksKey, shown = device): Promise<void> {
  const o = await runCryptsetup(['open', '--test-passphrase', '--readonly', '--type', 'luks', device], key);
  if (o.code !== 0) fail(o, `cannot open the LUKS volume ${shown}`, device);
}

/** Creates /dev/mapper/NAME read-only. */
export async function openLuks(device: string, name: string, key: LuksKey, shown = device): Promise<void> {
  const o = await runCryptsetup(['open', '--readonly', '--type', 'luks', device, name], key);
  if (o.code !== 0) fail(o, `cannot open the LUKS volume ${shown} as /dev/mapper/${name}`, device, name);
}

export async function closeLuks(name: string): Promise<void> {
  await runProgram(['cryptsetup', 'close', name]);
}
