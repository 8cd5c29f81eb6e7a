// SPDX-License-Identifier: GPL-3.0-or-later
// What `acquire --format ewf` adds to an acquisition: its options checked up front, the sink, and
// after the pass the read-back of the set and its renaming from .partial to its real names.
import os from 'node:os';
import { UsageError } from '../../lib/errors.js';
import type { Progress } from '../../lib/progress.js';
import type { HashName } from '../options.js';
import type { Piece } from '../sinks.js';
import type { SourceInfo } from '../source.js';
import type { Custody } from '../custody.js';
import { SECTORS_PER_CHUNK, segmentName, type CompressionLevel } from './format.js';
import { EwfSink, PARTIAL, publishSegments } from './writer.js';
import { verifyEwf } from './verify.js';

export const MIN_SEGMENT = 1024 * 1024;
const LEVELS: CompressionLevel[] = ['none', 'fast', 'best'];

/** NAME or NAME.E01 -> NAME */
export function ewfBase(out: string): string {
  return out.replace(/\.E01$/i, '');
}

export function parseCompression(spec: string | undefined): CompressionLevel {
  if (spec === undefined) return 'fast';
  if (!(LEVELS as string[]).includes(spec)) throw new UsageError(`--compress: unknown level "${spec}"`, `choose from ${LEVELS.join(', ')}`);
  return spec as CompressionLevel;
}

/** E01 stores MD5 and SHA-1 inside the image: they are always computed, besides those asked for. */
export function ewfAlgorithms(asked: HashName[]): HashName[] {
  return [...new Set<HashName>([...asked, 'md5', 'sha1'])];
}

/** The names the set may take (and their .partial forms), for the never-overwrite check. */
export function ewfOutputs(base: string, size: number, split: number | undefined): string[] {
  const n = Math.max(1, split ? Math.ceil(size / (split - 64 * 1024)) + 1 : 1);
  const names = Array.from({ length: Math.min(n, 1000) }, (_, i) => segmentName(base, i + 1));
  return names.flatMap((f) => [f, f + PARTIAL]);
}

export function checkEwfSource(info: SourceInfo, split: number | undefined): void {
  if (info.size % info.sectorSize !== 0)
    throw new UsageError(`${info.path}: ${info.size} bytes is not a whole number of ${info.sectorSize}-byte sectors, which E01 cannot store`, 'use --format raw for this source');
  if (split !== undefined && split < MIN_SEGMENT) throw new UsageError('--split: an E01 segment must be at least 1M');
  if (split !== undefined && split < 4 * SECTORS_PER_CHUNK * info.sectorSize + 64 * 1024) throw new UsageError('--split: too small for this sector size');
}

export function ewfSink(base: string, split: number | undefined, info: SourceInfo, compression: CompressionLevel, custody: Custody, software: string): EwfSink {
  return new EwfSink({
    base,
    segmentSize: split ?? Number.MAX_SAFE_INTEGER,
    mediaSize: info.size,
    bytesPerSector: info.sectorSize,
    compression,
    caseInfo: {
      description: info.path,
      caseNumber: custody.case.case,
      evidenceNumber: custody.case.evidence,
      examiner: custody.case.examiner,
      notes: custody.case.notes,
      model: info.model,
      serial: info.serial,
      software,
      os: `${os.type()} ${os.release()}`,
      acquired: new Date(custody.started),
    },
  });
}

/**
 * Read the set back, compare, and only if everything matches give it its real names.
 * Fills the pieces' hashes with each segment file's own sha256.
 */
export async function verifyAndPublish(pieces: Piece[], algorithms: HashName[], hashes: Record<string, string>, bytesRead: number, progress?: Progress): Promise<Custody['verification']> {
  const v = await verifyEwf(
    pieces.map((p) => p.path + PARTIAL),
    algorithms,
    bytesRead,
    progress,
  );
  pieces.forEach((p, i) => (p.hashes = v.files[i]!));
  const problems: string[] = [];
  if (v.bytes !== bytesRead) problems.push(`decoded ${v.bytes} of ${bytesRead} bytes`);
  if (JSON.stringify(v.total) !== JSON.stringify(hashes)) problems.push('the decoded data hashes differently');
  if (v.stored.md5 !== hashes.md5 || v.stored.sha1 !== hashes.sha1) problems.push('the MD5/SHA-1 stored in the image differ');
  if (problems.length) return { status: 'mismatch', detail: `${problems.join('; ')}; the set is left as ${pieces[0]?.path}${PARTIAL} …`, hashes: v.total };
  await publishSegments(pieces.map((p) => p.path));
  return { status: 'verified', detail: `decoded all ${v.bytes} bytes from ${pieces.length} segment file(s), every chunk checksum and hash matches`, hashes: v.total };
}
