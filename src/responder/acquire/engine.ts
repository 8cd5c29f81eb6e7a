// SPDX-License-Identifier: GPL-3.0-or-later
// One streaming pass: read a chunk, hash it, write it, while the next chunk is already being read
// (reads and writes run on libuv's thread pool, hashing on the main thread, so the three overlap).
// Three fixed 4 MiB buffers rotate: memory does not depend on the size of the source.
import { promises as fsp } from 'node:fs';
import { Interrupted, throwIfInterrupted, unlessInterrupted } from '../lib/interrupt.js';
import type { Progress } from '../lib/progress.js';
import { Hashes } from './hashes.js';
import type { HashName } from './options.js';
import { RetryingReader, type ReadFn } from './reader.js';
import type { Piece, Sink } from './sinks.js';

export const CHUNK = 4 * 1024 * 1024;

export interface PassResult {
  bytesRead: number;
  bytesWritten: number;
  hashes: Record<string, string>;
  pieces: Piece[];
  reader: RetryingReader;
}

export async function copyPass(opts: {
  read: ReadFn;
  size: number;
  sectorSize: number;
  algorithms: HashName[];
  sink: Sink;
  progress?: Progress;
  retries?: number;
  signal?: AbortSignal;
}): Promise<PassResult> {
  const reader = new RetryingReader(opts.read, opts.size, opts.sectorSize, opts.retries ?? 3);
  const hashes = new Hashes(opts.algorithms);
  const bufs = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  let position = 0;
  let written = 0;
  let k = 0;
  let pendingRead = reader.readChunk(bufs[0]!, 0, CHUNK);
  let pendingWrite: Promise<void> = Promise.resolve();
  try {
    for (;;) {
      const n = await unlessInterrupted(pendingRead, opts.signal);
      if (n === 0) break;
      throwIfInterrupted(opts.signal);
      const cur = bufs[k % 3]!.subarray(0, n);
      position += n;
      // Buffer (k+1)%3 was last written in step k-2, and that write was awaited in step k-1.
      pendingRead = n < CHUNK ? Promise.resolve(0) : reader.readChunk(bufs[(k + 1) % 3]!, position, CHUNK);
      hashes.update(cur);
      await unlessInterrupted(pendingWrite, opts.signal);
      pendingWrite = opts.sink.write(cur).then(() => {
        written += n;
      });
      opts.progress?.update(position, reader.badRanges.length);
      k++;
    }
    await unlessInterrupted(pendingWrite, opts.signal);
  } catch (err) {
    // Interrupted: a write may never finish (a receiver that stopped reading); abort first.
    if (err instanceof Interrupted) await opts.sink.abort();
    const settled = Promise.allSettled([pendingRead, pendingWrite]);
    await Promise.race([settled, new Promise((r) => setTimeout(r, 5000).unref())]);
    await opts.sink.abort();
    throw err;
  }
  const digests = hashes.digest();
  const pieces = await opts.sink.close({ hashes: digests, badRanges: reader.badRanges });
  opts.progress?.done();
  return { bytesRead: position, bytesWritten: written, hashes: digests, pieces, reader };
}

/** Re-read the written pieces and hash them again, each and all together. */
export async function verifyPieces(
  pieces: Piece[],
  algorithms: HashName[],
  progress?: Progress,
  signal?: AbortSignal,
): Promise<{ total: Record<string, string>; pieces: Record<string, string>[]; bytes: number }> {
  const total = new Hashes(algorithms);
  const perPiece: Record<string, string>[] = [];
  const buf = Buffer.allocUnsafe(CHUNK);
  let bytes = 0;
  for (const p of pieces) {
    const h = new Hashes(algorithms);
    const fh = await fsp.open(p.path, 'r');
    try {
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
        if (bytesRead === 0) break;
        throwIfInterrupted(signal);
        const c = buf.subarray(0, bytesRead);
        h.update(c);
        total.update(c);
        bytes += bytesRead;
        progress?.update(bytes);
      }
    } finally {
      await fh.close();
    }
    perPiece.push(h.digest());
  }
  progress?.done();
  return { total: total.digest(), pieces: perPiece, bytes };
}
