// SPDX-License-Identifier: GPL-3.0-or-later
// Hashing the evidence's files on a small, bounded pool of worker threads while the main thread
// goes on looking up the next packages' files. Each worker hashes whole batches synchronously
// through one buffer (file-hash.ts), which on the build machine beat many small asynchronous
// reads through libuv's thread pool. Batches are handed out by size, so the workers
// finish together. With one CPU, or when a worker cannot start, files are hashed in this thread.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { sha256File } from '../evidence/root-path.js';
import { makeEvidenceFiles } from '../evidence/file-hash.js';

/** A batch is sent when it holds this many bytes or files. */
const BATCH_BYTES = 8 << 20;
const BATCH_FILES = 256;

export interface HashResult {
  sha256?: string;
  error?: string;
}

function hashOne(file: string): HashResult {
  try {
    return { sha256: sha256File(file) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/**
 * What a worker runs: file-hash.ts's own source, so the hashing is the same code, and starting a
 * worker does not load the whole bundle.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { sha256File } = (${makeEvidenceFiles.toString()})(require('node:fs'), require('node:crypto'));
parentPort.on('message', (files) => parentPort.postMessage(files.map((file) => {
  try { return { sha256: sha256File(file) }; } catch (err) { return { error: err.message }; }
})));
`;

/**
 * How many workers, if the files turn out to come from the disk (see HashPool): two, up to 4 with
 * more CPUs. RESPONDER_HASH_THREADS=N forces N from the start (0: always in this thread).
 */
export function defaultThreads(): number {
  const forced = process.env.RESPONDER_HASH_THREADS;
  if (forced !== undefined && /^\d+$/.test(forced)) return Math.min(16, Number(forced));
  const cpus = availableParallelism();
  return cpus >= 2 ? Math.min(4, Math.max(2, cpus - 1)) : 0;
}

interface Lane {
  worker: Worker;
  bytes: number;
  pending: ((r: HashResult[]) => void)[];
}

/** Hashed in this thread first; then the block reads it took decide (see HashPool). */
const PROBE_BYTES = 16 << 20;
const PROBE_FILES = 400;
/** 512-byte blocks read from the device during the probe above which workers are started (2 MiB). */
const DISK_BLOCKS = 4096;

/**
 * Workers pay only when the files come from the disk: several reads in flight keep the device busy
 * (page cache cold: 1.08 s against 1.33 s in one thread on the test tree), while with everything
 * cached each worker only adds a thread start and result copies, which cost more than they save
 * on a busy machine. So the first 16 MiB (or 400 files) are hashed in this thread, and workers are
 * started only when the kernel says those reads went to the device (getrusage's block input
 * count), which CPU contention does not blur as a timing would. Evidence is read once, from a
 * disk: that is the usual case.
 */
export class HashPool {
  private readonly lanes: Lane[] = [];
  private probe: { bytes: number; files: number; blocks: number } | undefined;
  private batch: { file: string; done: (r: HashResult) => void }[] = [];
  private batchBytes = 0;
  private readonly inFlight: Promise<void>[] = [];
  private failure: Error | undefined;

  /** Up to `size` workers (default: defaultThreads()); 0 or 1 hashes in this thread. */
  constructor(
    private readonly size = defaultThreads(),
    probe = process.env.RESPONDER_HASH_THREADS === undefined,
  ) {
    if (size < 2) return;
    if (probe) this.probe = { bytes: 0, files: 0, blocks: process.resourceUsage().fsRead };
    else this.start();
  }

  private start(): void {
    for (let i = 0; i < this.size; i++) {
      try {
        const worker = new Worker(WORKER_SOURCE, { eval: true });
        const lane: Lane = { worker, bytes: 0, pending: [] };
        worker.on('message', (r: HashResult[]) => lane.pending.shift()?.(r));
        worker.on('error', (err) => (this.failure ??= err));
        this.lanes.push(lane);
      } catch {
        break;
      }
    }
  }

  /** Queue one file; `done` is called with its sha256 (or the error) before drain() resolves. */
  add(file: string, size: number, done: (r: HashResult) => void): void {
    if (this.probe) {
      done(hashOne(file));
      this.probe.bytes += size;
      if (++this.probe.files < PROBE_FILES && this.probe.bytes < PROBE_BYTES) return;
      const fromDisk = process.resourceUsage().fsRead - this.probe.blocks > DISK_BLOCKS;
      this.probe = undefined;
      if (fromDisk) this.start();
      return;
    }
    if (this.lanes.length === 0) {
      done(hashOne(file));
      return;
    }
    this.batch.push({ file, done });
    this.batchBytes += size;
    if (this.batchBytes >= BATCH_BYTES || this.batch.length >= BATCH_FILES) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const jobs = this.batch;
    const lane = this.lanes.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    lane.bytes += this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    this.inFlight.push(
      new Promise<void>((resolve) => {
        lane.pending.push((results) => {
          jobs.forEach((j, i) => j.done(results[i] ?? { error: 'no result from the hash worker' }));
          resolve();
        });
        lane.worker.postMessage(jobs.map((j) => j.file));
      }),
    );
  }

  /** Wait for every queued file, then stop the workers. */
  async drain(): Promise<void> {
    this.flush();
    if (this.lanes.length) {
      // A worker that dies leaves its batches unanswered: fail loudly rather than wait forever.
      const died = new Promise<never>((_, reject) => {
        for (const l of this.lanes) l.worker.once('exit', () => this.failure !== undefined && reject(this.failure));
        if (this.failure) reject(this.failure);
      });
      await Promise.race([Promise.all(this.inFlight), died]);
    }
    await Promise.all(this.lanes.map((l) => l.worker.terminate()));
    this.lanes.length = 0;
  }
}
