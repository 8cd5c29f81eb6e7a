// SPDX-License-Identifier: GPL-3.0-or-later
// The E01 sink: takes the engine's chunks (already hashed by the engine), has them compressed on
// worker threads, and lays them out as EnCase 6 segments: header2 ×2, header, volume, then
// sectors/table/table2 runs, "next" at the end of a full segment (later segments start with a
// "data" copy of the volume), and error2, digest, hash, done at the end of the last. Every segment
// is written as NAME.E0n.partial (O_EXCL) and renamed only once the whole set is verified, so an
// interrupted run never leaves a set that looks complete.
import { randomUUID } from 'node:crypto';
import { constants, promises as fsp } from 'node:fs';
import { describeSystemError } from '../../lib/errors.js';
import type { BadRange } from '../reader.js';
import type { Piece, Sink, SinkResult } from '../sinks.js';
import { CompressorPool, type CompressedBatch } from './compressor.js';
import { header2Data, headerData, type CaseInfo } from './header.js';
import * as F from './format.js';

export interface EwfOptions {
  /** The final path without extension: NAME gives NAME.E01, NAME.E02, … */
  base: string;
  /** Largest segment file, in bytes (the error list may add a few hundred bytes to the last). */
  segmentSize: number;
  mediaSize: number;
  bytesPerSector: number;
  compression: F.CompressionLevel;
  caseInfo: CaseInfo;
}

export const PARTIAL = '.partial';
/** Room kept free in a segment for its tables and whatever ends it (next, or error2+digest+hash+done). */
const TAIL = F.DESCRIPTOR + 156 + 112 + F.error2SectionSize(0) + F.DESCRIPTOR;

export class EwfSink implements Sink {
  private readonly pool: CompressorPool;
  private readonly chunkSize: number;
  private readonly guid = Buffer.from(randomUUID().replace(/-/g, ''), 'hex');
  private readonly inflight: Promise<CompressedBatch>[] = [];
  private readonly maxInflight: number;
  private residual = Buffer.alloc(0);
  private fh?: fsp.FileHandle;
  private segment = 0;
  private pos = 0;
  private section?: { start: number; entries: number[] };
  private chunks = 0;
  private bytesIn = 0;
  private readonly volumeAt: { path: string; offset: number }[] = [];
  readonly files: string[] = [];

  constructor(private readonly o: EwfOptions) {
    this.chunkSize = F.SECTORS_PER_CHUNK * o.bytesPerSector;
    this.pool = new CompressorPool(this.chunkSize, F.ZLIB_LEVEL[o.compression]);
    this.maxInflight = 6;
  }

  async write(chunk: Buffer): Promise<void> {
    let data = chunk;
    if (this.residual.length) {
      data = Buffer.concat([this.residual, chunk]);
      this.residual = Buffer.alloc(0);
    }
    const whole = data.length - (data.length % this.chunkSize);
    if (whole < data.length) this.residual = Buffer.from(data.subarray(whole));
    if (whole) this.enqueue(data.subarray(0, whole));
    while (this.inflight.length > this.maxInflight) await this.store(await this.inflight.shift()!);
  }

  private enqueue(data: Buffer): void {
    this.bytesIn += data.length;
    const job = this.pool.compress(data);
    job.catch(() => undefined); // awaited in order later; this only keeps it from being "unhandled"
    this.inflight.push(job);
  }

  async close(result?: SinkResult): Promise<Piece[]> {
    try {
      if (this.residual.length) this.enqueue(this.residual);
      while (this.inflight.length) await this.store(await this.inflight.shift()!);
      if (!this.fh) await this.openSegment();
      await this.closeSection();
      await this.finishSegment(result);
      if (this.bytesIn !== this.o.mediaSize) await this.patchVolumes();
    } catch (err) {
      await this.abort();
      throw err;
    }
    await this.pool.close();
    const pieces: Piece[] = [];
    for (const f of this.files) pieces.push({ path: f, bytes: (await fsp.stat(f + PARTIAL)).size, hashes: {} });
    return pieces;
  }

  async abort(): Promise<void> {
    await this.pool.close().catch(() => undefined);
    await this.fh?.close().catch(() => undefined);
    this.fh = undefined;
  }

  private volume(): F.VolumeInfo {
    const chunks = Math.ceil(this.bytesIn / this.chunkSize);
    return { chunks, bytesPerSector: this.o.bytesPerSector, sectors: Math.ceil(this.bytesIn / this.o.bytesPerSector), compression: this.o.compression, guid: this.guid };
  }

  private async writeAt(buf: Buffer, at: number): Promise<void> {
    let done = 0;
    try {
      while (done < buf.length) done += (await this.fh!.write(buf, done, buf.length - done, at + done)).bytesWritten;
    } catch (err) {
      throw describeSystemError(err, this.files.at(-1)! + PARTIAL);
    }
  }

  private async append(buf: Buffer): Promise<void> {
    await this.writeAt(buf, this.pos);
    this.pos += buf.length;
  }

  private async openSegment(): Promise<void> {
    this.segment++;
    const name = F.segmentName(this.o.base, this.segment);
    try {
      this.fh = await fsp.open(name + PARTIAL, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o640);
    } catch (err) {
      throw describeSystemError(err, name + PARTIAL);
    }
    this.files.push(name);
    this.pos = 0;
    await this.append(F.fileHeader(this.segment));
    // The volume is written with the expected size now and patched at the end if the source fell short.
    const vol = F.volumeData({ ...this.volume(), chunks: Math.ceil(this.o.mediaSize / this.chunkSize), sectors: Math.ceil(this.o.mediaSize / this.o.bytesPerSector) });
    if (this.segment === 1) {
      const h2 = header2Data(this.o.caseInfo);
      await this.append(F.section('header2', this.pos, h2));
      await this.append(F.section('header2', this.pos, h2));
      await this.append(F.section('header', this.pos, headerData(this.o.caseInfo)));
    }
    this.volumeAt.push({ path: name + PARTIAL, offset: this.pos });
    await this.append(F.section(this.segment === 1 ? 'volume' : 'data', this.pos, vol));
  }

  /** Place one compressed batch: chunks go into the open sectors section, new sections and segments as they fill. */
  private async store(batch: CompressedBatch): Promise<void> {
    let runStart = 0; // bytes of batch.data not yet written
    let runEnd = 0;
    for (let k = 0; k < batch.sizes.length; k++) {
      const size = Math.abs(batch.sizes[k]!);
      const entries = this.section?.entries.length ?? 0;
      const segmentFull = !this.fh || (entries > 0 && this.pos + (runEnd - runStart) + size + 2 * F.tableSectionSize(entries + 1) + TAIL > this.o.segmentSize);
      if (segmentFull || entries >= F.MAX_TABLE_ENTRIES || !this.section) {
        await this.append(batch.data.subarray(runStart, runEnd));
        runStart = runEnd;
        if (this.section) await this.closeSection();
        if (segmentFull) {
          if (this.fh) await this.finishSegment();
          await this.openSegment();
        }
        this.section = { start: this.pos, entries: [] };
        this.pos += F.DESCRIPTOR; // the sectors descriptor is written when the section is closed
      }
      this.section.entries.push((this.pos + (runEnd - runStart) - this.section.start) | (batch.sizes[k]! < 0 ? F.COMPRESSED : 0));
      runEnd += size;
      this.chunks++;
    }
    await this.append(batch.data.subarray(runStart, runEnd));
  }

  private async closeSection(): Promise<void> {
    const s = this.section;
    if (!s) return;
    this.section = undefined;
    await this.writeAt(F.descriptor('sectors', s.start, this.pos - s.start), s.start);
    const table = F.tableData(
      s.start,
      Uint32Array.from(s.entries, (e) => e >>> 0),
    );
    await this.append(F.section('table', this.pos, table));
    await this.append(F.section('table2', this.pos, table));
  }

  /** "next" ends a full segment; the last one gets error2 (if any), digest, hash and "done". */
  private async finishSegment(result?: SinkResult): Promise<void> {
    if (result) {
      const ranges = errorSectors(result.badRanges, this.o.bytesPerSector);
      if (ranges.length) await this.append(F.section('error2', this.pos, F.error2Data(ranges)));
      const md5 = Buffer.from(result.hashes.md5 ?? '', 'hex');
      const sha1 = Buffer.from(result.hashes.sha1 ?? '', 'hex');
      if (md5.length === 16 && sha1.length === 20) await this.append(F.section('digest', this.pos, F.digestData(md5, sha1)));
      if (md5.length === 16) await this.append(F.section('hash', this.pos, F.hashData(md5)));
    }
    await this.append(F.descriptor(result ? 'done' : 'next', this.pos, 0, this.pos));
    try {
      await this.fh!.sync(); // on the medium before the set is verified and renamed
    } finally {
      await this.fh!.close();
      this.fh = undefined;
    }
  }

  private async patchVolumes(): Promise<void> {
    const vol = F.volumeData(this.volume());
    for (const v of this.volumeAt) {
      const fh = await fsp.open(v.path, 'r+');
      try {
        await fh.write(vol, 0, vol.length, v.offset + F.DESCRIPTOR);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
  }
}

/**
 * Byte ranges the reader zero-filled, as whole sectors for error2. Its fields are 32-bit: a range
 * past sector 2^32 (a disk over 2 TiB) cannot be listed there and is left to the custody log,
 * which lists every range by byte offset.
 */
export function errorSectors(bad: BadRange[], bytesPerSector: number): { sector: number; count: number }[] {
  const MAX = 0xffffffff;
  return bad.flatMap((r) => {
    const first = Math.floor(r.offset / bytesPerSector);
    const last = Math.ceil((r.offset + r.length) / bytesPerSector);
    return first > MAX ? [] : [{ sector: first, count: Math.min(last - first, MAX) }];
  });
}

/** Give the verified set its real names: later segments first, NAME.E01 last. */
export async function publishSegments(files: string[]): Promise<void> {
  for (const f of [...files].reverse()) {
    try {
      await fsp.link(f + PARTIAL, f); // fails if the name exists: never replaces anything
      await fsp.unlink(f + PARTIAL);
    } catch (err) {
      throw describeSystemError(err, f);
    }
  }
}
