// SPDX-License-Identifier: GPL-3.0-or-later
// The pure parts of `responder unlock` and `mount --replay`: cryptsetup's exit codes in words, the
// mapping name check, the passphrase reader (piped and at a terminal: nothing echoed, editing,
// cancel), and which file systems --replay takes and with which options.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { explainCryptsetupExit } from '../../src/responder/unlock/cryptsetup.js';
import { readPassphrase } from '../../src/responder/unlock/passphrase.js';
import { checkMappingName } from '../../src/responder/unlock/state.js';
import { planMount } from '../../src/responder/mount/plan.js';
import { encryptionNote } from '../../src/responder/commands/devices.js';

describe('cryptsetup exit codes', () => {
  it('says why, per documented code', () => {
    expect(explainCryptsetupExit(2, 'No key available with this passphrase.\n', '/dev/sdb2')).toBe(
      'wrong passphrase or key file: no key slot opens with it (cryptsetup: No key available with this passphrase.)',
    );
    expect(explainCryptsetupExit(1, 'Device /dev/sdb2 is not a valid LUKS device.\n', '/dev/sdb2')).toMatch(/^no valid LUKS header/);
    expect(explainCryptsetupExit(1, 'Cannot initialize device-mapper. Is dm_mod kernel module loaded?\nCannot use device x, name is invalid or still in use.\n', '/dev/sdb2')).toMatch(
      /^the kernel has no device-mapper/,
    );
    expect(explainCryptsetupExit(1, '', '/dev/sdb2')).toMatch(/wrong parameters/);
    expect(explainCryptsetupExit(3, '', '/dev/sdb2')).toMatch(/^out of memory/);
    expect(explainCryptsetupExit(4, '', '/dev/sdb2')).toBe('wrong device: cryptsetup cannot use /dev/sdb2');
    expect(explainCryptsetupExit(5, '', '/dev/sdb2', 'ev')).toMatch(/"ev" already exists, or the device is busy/);
    expect(explainCryptsetupExit(null, '', '/dev/sdb2')).toBe('cryptsetup exited with a signal');
  });
});

describe('mapping names', () => {
  it('takes plain names, refuses what could be read as something else', () => {
    expect(checkMappingName('luks-sdb2')).toBeUndefined();
    for (const bad of ['', '-x', '../x', 'a b', 'a/b', 'x'.repeat(65), 'responder-replay-1234']) expect(checkMappingName(bad), bad).toBeDefined();
  });
});

function pipe(text: string | Buffer): NodeJS.ReadStream {
  const s = new PassThrough() as unknown as NodeJS.ReadStream;
  (s as unknown as PassThrough).end(text);
  return s;
}

describe('passphrase from a pipe', () => {
  const sink = new PassThrough();
  it('is the first line, without its newline (CRLF too)', async () => {
    expect((await readPassphrase('', pipe('s3cret\nrest\n'), sink)).toString()).toBe('s3cret');
    expect((await readPassphrase('', pipe('s3cret\r\n'), sink)).toString()).toBe('s3cret');
    expect((await readPassphrase('', pipe('no newline'), sink)).toString()).toBe('no newline');
  });
  it('refuses an empty one and an endless one', async () => {
    await expect(readPassphrase('', pipe('\n'), sink)).rejects.toThrow(/no passphrase/);
    await expect(readPassphrase('', pipe('x'.repeat(5000)), sink)).rejects.toThrow(/longer than/);
  });
});

describe('passphrase at a terminal', () => {
  function tty(keys: string[]) {
    const input = new PassThrough() as unknown as NodeJS.ReadStream & { raw: boolean[] };
    input.isTTY = true;
    input.raw = [];
    input.setRawMode = (mode: boolean) => (input.raw.push(mode), input);
    let written = '';
    const out = new PassThrough();
    out.on('data', (d: Buffer) => (written += d.toString()));
    setImmediate(() => keys.forEach((k) => (input as unknown as PassThrough).write(Buffer.from(k, 'utf8'))));
    return { input, out, written: () => written };
  }
  it('reads without echo, with backspace over a multi-byte character', async () => {
    const t = tty(['pä', 'ss\x7f\x7f\x7fa', 'x\r']);
    const key = await readPassphrase('Passphrase: ', t.input, t.out);
    expect(key.toString('utf8')).toBe('pax');
    expect(t.written()).toBe('Passphrase: \n'); // the prompt, then only a newline: nothing echoed
    expect(t.input.raw).toEqual([true, false]); // raw mode restored
  });
  it('Ctrl-C cancels', async () => {
    const t = tty(['abc\x03']);
    await expect(readPassphrase('P: ', t.input, t.out)).rejects.toThrow(/cancelled/);
    expect(t.input.raw).toEqual([true, false]);
  });
});

describe('mount --replay plans', () => {
  it('ext4 and XFS are mounted with recovery (no noload/norecovery), still ro', () => {
    const ext4 = planMount({ type: 'ext4', dirty: true }, { replay: true });
    expect(ext4.ok && ext4.options).toEqual(['ro', 'noexec', 'nodev', 'nosuid']);
    const xfs = planMount({ type: 'xfs' }, { replay: true });
    expect(xfs.ok && xfs.options).toEqual(['ro', 'noexec', 'nodev', 'nosuid', 'nouuid']);
  });
  it('without --replay nothing changes', () => {
    const ext4 = planMount({ type: 'ext4' });
    expect(ext4.ok && ext4.options).toContain('noload');
  });
  it('other formats are refused with the reason', () => {
    for (const type of ['ext2', 'ntfs', 'vfat', 'btrfs', 'crypto_LUKS']) {
      const p = planMount({ type }, { replay: true });
      expect(p.ok, type).toBe(false);
    }
  });
});

describe('devices notes', () => {
  it('names the command that opens a LUKS volume, and says BitLocker is not supported', () => {
    expect(encryptionNote({ path: '/dev/sdb2', fsType: 'crypto_LUKS', fsVersion: '2' })).toBe('LUKS2: /dev/sdb2 is encrypted; open it read-only with: responder unlock /dev/sdb2');
    expect(encryptionNote({ path: 'disk.raw:3', fsType: 'BitLocker' })).toMatch(/not supported yet/);
    expect(encryptionNote({ path: '/dev/sdb1', fsType: 'ext4' })).toBeUndefined();
  });
});
