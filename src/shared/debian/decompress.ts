// SPDX-License-Identifier: GPL-3.0-or-later
// Decompress a byte range of a file, streamed, through the system's own xz, zstd or gzip (the
// compressors dpkg-deb uses), so no decompressor has to be bundled. argv arrays only; the
// program's stdin is the file range, its stdout is what the caller reads.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';

export type Compression = 'xz' | 'zstd' | 'gzip' | 'bzip2' | 'none';

export function compressionOf(memberName: string): Compression {
  if (memberName.endsWith('.xz')) return 'xz';
  if (memberName.endsWith('.zst')) return 'zstd';
  if (memberName.endsWith('.gz')) return 'gzip';
  if (memberName.endsWith('.bz2')) return 'bzip2';
  if (memberName.endsWith('.tar')) return 'none';
  throw new Error(`unknown compression of ${memberName}`);
}

const PROGRAM: Record<Exclude<Compression, 'none'>, string[]> = {
  xz: ['xz', '--decompress', '--stdout'],
  zstd: ['zstd', '--decompress', '--stdout', '--quiet'],
  gzip: ['gzip', '--decompress', '--stdout'],
  bzip2: ['bzip2', '--decompress', '--stdout'],
};

export interface Decompressed {
  stream: Readable;
  /** Resolves when the decompressor exited cleanly; rejects with its stderr otherwise. */
  done: Promise<void>;
}

/** The decompressed bytes of file[offset, offset+size). */
export function decompressRange(file: string, offset: number, size: number, compression: Compression): Decompressed {
  const input = createReadStream(file, { start: offset, end: offset + size - 1 });
  if (compression === 'none') {
    return { stream: input, done: new Promise((resolve, reject) => input.on('end', resolve).on('error', reject)) };
  }
  const [cmd, ...args] = PROGRAM[compression];
  const child = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // The reader may stop early (an error in the tar); a closed pipe is not our failure then.
  child.stdin.on('error', () => {});
  input.pipe(child.stdin);
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (err) => reject(new Error(`${cmd}: ${err.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n')[0] ?? ''}`));
    });
  });
  return { stream: child.stdout, done };
}
