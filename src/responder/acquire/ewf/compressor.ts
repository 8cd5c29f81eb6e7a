// SPDX-License-Identifier: GPL-3.0-or-later
// Chunk compression on every core: batches of chunks (one engine read, 4 MiB) go to a small pool
// of worker threads, each compressing every 32 KiB chunk as its own zlib stream, while the main
// thread hashes and writes. All-zero chunks reuse one precomputed stream (libewf's "empty block"
// shortcut: a mostly empty disk costs almost no CPU). A chunk that does not shrink is stored as is
// with its Adler-32, which zlib has just computed anyway (the stream's last 4 bytes, big-endian).
import os from 'node:os';
import { Worker } from 'node:worker_threads';

export interface CompressedBatch {
  /** The chunks as stored, back to back. */
  data: Buffer;
  /** One per chunk: stored length, negative when the chunk is zlib-compressed. */
  sizes: Int32Array;
}

/**
 * Runs inside a worker, sent there as source text: it may use only its parameters.
 * (Exported for the unit tests, which run it in-process.)
 */
export function compressBatch(zlib: typeof import('node:zlib'), input: Uint8Array, chunkSize: number, level: number, zero: Buffer): CompressedBatch {
  const buf = Buffer.from(input.buffer, input.byteOffset, input.length);
  const count = Math.ceil(buf.length / chunkSize);
  const sizes = new Int32Array(count);
  const parts: Buffer[] = [];
  let total = 0;
  for (let k = 0; k < count; k++) {
    const chunk = buf.subarray(k * chunkSize, Math.min((k + 1) * chunkSize, buf.length));
    let out: Buffer;
    if (chunk.length === chunkSize && chunk.equals(zero.subarray(0, chunkSize)) && zero.length > chunkSize) {
      out = zero.subarray(chunkSize);
      sizes[k] = -out.length;
    } else {
      const z = zlib.deflateSync(chunk, { level });
      if (z.length < chunk.length) {
        out = z;
        sizes[k] = -z.length;
      } else {
        out = Buffer.allocUnsafe(chunk.length + 4);
        chunk.copy(out);
        out.writeUInt32LE(z.readUInt32BE(z.length - 4), chunk.length);
        sizes[k] = out.length;
      }
    }
    parts.push(out);
    total += out.length;
  }
  // Its own ArrayBuffer (never Node's shared pool), so it can be transferred to the main thread.
  const data = Buffer.from(new ArrayBuffer(total));
  let at = 0;
  for (const p of parts) at += p.copy(data, at);
  return { data, sizes };
}

/** The zero chunk followed by its compressed form, as compressBatch expects it. */
export function zeroTemplate(zlib: typeof import('node:zlib'), chunkSize: number, level: number): Buffer {
  const zero = Buffer.alloc(chunkSize);
  return Buffer.concat([zero, zlib.deflateSync(zero, { level: Math.max(1, level) })]);
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const zlib = require('node:zlib');
const compressBatch = ${compressBatch.toString()};
const zeroTemplate = ${zeroTemplate.toString()};
const zero = zeroTemplate(zlib, workerData.chunkSize, workerData.level);
parentPort.on('message', (input) => {
  const r = compressBatch(zlib, input, workerData.chunkSize, workerData.level, zero);
  parentPort.postMessage(r, [r.data.buffer, r.sizes.buffer]);
});
`;

export class CompressorPool {
  private readonly workers: { worker: Worker; pending: { resolve: (r: CompressedBatch) => void; reject: (e: Error) => void }[] }[] = [];
  private next = 0;
  private failed?: Error;

  constructor(chunkSize: number, level: number, threads = Math.min(4, Math.max(1, os.cpus().length))) {
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { chunkSize, level } });
      const slot = { worker, pending: [] as (typeof this.workers)[number]['pending'] };
      worker.on('message', (m: { data: Uint8Array; sizes: Int32Array }) => {
        slot.pending.shift()?.resolve({ data: Buffer.from(m.data.buffer, m.data.byteOffset, m.data.length), sizes: m.sizes });
      });
      const fail = (err: Error) => {
        this.failed ??= err;
        for (const p of slot.pending.splice(0)) p.reject(err);
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`compression worker exited (code ${code})`)));
      this.workers.push(slot);
    }
  }

  /** Compress a batch; takes a copy, so the caller may reuse `input` at once. Results come back in order per call. */
  compress(input: Buffer): Promise<CompressedBatch> {
    if (this.failed) return Promise.reject(this.failed);
    const slot = this.workers[this.next++ % this.workers.length]!;
    const copy = new Uint8Array(input); // own ArrayBuffer, transferred (not copied again)
    return new Promise((resolve, reject) => {
      slot.pending.push({ resolve, reject });
      slot.worker.postMessage(copy, [copy.buffer]);
    });
  }

  async close(): Promise<void> {
    this.failed ??= new Error('compressor closed');
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
