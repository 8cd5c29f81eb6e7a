// SPDX-License-Identifier: GPL-3.0-or-later
// Real LUKS1/LUKS2 evidence images, made without device-mapper (this host kernel has none): the
// header and key slot come from the real `cryptsetup luksFormat` with a volume key we chose
// (--volume-key-file), and the payload is a plain file system image encrypted here with that key,
// as dm-crypt's aes-xts-plain64 does it (512-byte sectors, IV = sector number, little-endian).
// Opening them (cryptsetup open, in the guest) is what proves the payload right.
import { createCipheriv, randomBytes } from 'node:crypto';
import { closeSync, openSync, readSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { sh } from './evidence.js';

export const FAST_PBKDF = ['--pbkdf', 'pbkdf2', '--pbkdf-force-iterations', '1000', '--hash', 'sha256'];

/** Wraps the file system image `plain` in a LUKS container at `file`; returns `file`. */
export function luksImage(file: string, plain: string, type: 'luks1' | 'luks2', passphrase: string): string {
  const size = statSync(plain).size;
  rmSync(file, { force: true });
  sh(['truncate', '-s', String(size + (16 << 20)), file]);
  const vkFile = `${file}.vk`;
  const vk = randomBytes(64);
  writeFileSync(vkFile, vk, { mode: 0o600 });
  try {
    sh(
      [
        'cryptsetup',
        'luksFormat',
        '-q',
        '--type',
        type,
        '--cipher',
        'aes-xts-plain64',
        '--key-size',
        '512',
        ...(type === 'luks2' ? ['--sector-size', '512'] : []),
        ...FAST_PBKDF,
        '--volume-key-file',
        vkFile,
        '--key-file=-',
        file,
      ],
      passphrase,
    );
  } finally {
    rmSync(vkFile, { force: true });
  }
  const dump = sh(['cryptsetup', 'luksDump', file]);
  const offset = type === 'luks1' ? Number(/Payload offset:\s*(\d+)/.exec(dump)?.[1]) * 512 : Number(/Data segments:[\s\S]*?offset:\s*(\d+) \[bytes\]/.exec(dump)?.[1]);
  if (!Number.isSafeInteger(offset) || offset <= 0) throw new Error(`luksImage: no payload offset in:\n${dump}`);
  encryptInto(plain, file, offset, vk);
  vk.fill(0);
  return file;
}

function encryptInto(plain: string, file: string, offset: number, vk: Buffer): void {
  const inp = openSync(plain, 'r');
  const out = openSync(file, 'r+');
  const buf = Buffer.alloc(1 << 20);
  const iv = Buffer.alloc(16);
  try {
    for (let pos = 0, n; (n = readSync(inp, buf, 0, buf.length, pos)) > 0; pos += n) {
      const enc = Buffer.alloc(n);
      for (let s = 0; s < n; s += 512) {
        iv.fill(0);
        iv.writeBigUInt64LE(BigInt((pos + s) / 512));
        const c = createCipheriv('aes-256-xts', vk, iv);
        c.update(buf.subarray(s, s + 512)).copy(enc, s);
        c.final();
      }
      writeSync(out, enc, 0, n, offset + pos);
    }
  } finally {
    closeSync(inp);
    closeSync(out);
  }
}

/** A volume with BitLocker's boot-sector signature (-FVE-FS- at offset 3): enough to be recognised, nothing to open. */
export function bitlockerLookalike(file: string): string {
  rmSync(file, { force: true });
  sh(['truncate', '-s', '8M', file]);
  const fd = openSync(file, 'r+');
  try {
    const bs = Buffer.alloc(512);
    bs.write('\xeb\x58\x90-FVE-FS-', 0, 'latin1');
    bs.writeUInt16LE(0xaa55, 510);
    writeSync(fd, bs, 0, 512, 0);
  } finally {
    closeSync(fd);
  }
  return file;
}
