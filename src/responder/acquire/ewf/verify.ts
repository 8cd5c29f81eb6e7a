// SPDX-License-Identifier: GPL-3.0-or-later
// Read-back of a written E01 set, independent of the writer's state: every segment file is hashed
// as a file (its sha256 goes into the custody log), then its sections are walked from the file
// header, every chunk is inflated (zlib checks its Adler-32) or checked against its stored Adler-32,
// and the media data is hashed again to be compared with what was read from the source.
import { promises as fsp } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { ResponderError } from '../../lib/errors.js';
import type { Progress } from '../../lib/progress.js';
import { Hashes } from '../hashes.js';
import type { HashName } from '../options.js';
import * as F from './format.js';

const READ = 8 * 1024 * 1024;

interface Section {
  type: string;
  offset: number;
  size: number;
  next: number;
}

async function readAt(fh: fsp.FileHandle, length: number, position: number): Promise<Buffer> {
  const b = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(b, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return b.subarray(0, got);
}

/** Walk a segment's sections from its header; refuses anything malformed (the set is ours, so that is a write fault). */
export async function sections(fh: fsp.FileHandle, file: string, segment: number): Promise<Section[]> {
  const size = (await fh.stat()).size;
  const head = await readAt(fh, 13, 0);
  if (head.length < 13 || !head.subarray(0, 8).equals(F.SIGNATURE) || head.readUInt16LE(9) !== segment) throw new ResponderError(`${file}: not EWF segment ${segment}`);
  const out: Section[] = [];
  let at = 13;
  for (;;) {
    const d = await readAt(fh, F.DESCRIPTOR, at);
    if (d.length < F.DESCRIPTOR || d.readUInt32LE(72) !== F.adler32(d, 0, 72)) throw new ResponderError(`${file}: bad section descriptor at offset ${at}`);
    const s = { type: d.toString('latin1', 0, 16).replace(/\0.*$/s, ''), offset: at, size: Number(d.readBigUInt64LE(24)), next: Number(d.readBigUInt64LE(16)) };
    out.push(s);
    if (s.type === 'done' || s.type === 'next') return out;
    if (s.next <= at || s.next > size) throw new ResponderError(`${file}: section "${s.type}" at ${at} points outside the file`);
    at = s.next;
  }
}

export interface EwfVerification {
  total: Record<string, string>;
  /** sha256 (and the other algorithms) of each segment file as a file. */
  files: Record<string, string>[];
  bytes: number;
  stored: { md5?: string; sha1?: string };
}

export async function verifyEwf(paths: string[], algorithms: HashName[], mediaSize: number, progress?: Progress): Promise<EwfVerification> {
  const files: Record<string, string>[] = [];
  for (const p of paths) {
    const h = new Hashes(['sha256']);
    const fh = await fsp.open(p, 'r');
    try {
      const buf = Buffer.allocUnsafe(READ);
      for (let pos = 0; ; ) {
        const { bytesRead } = await fh.read(buf, 0, READ, pos);
        if (!bytesRead) break;
        h.update(buf.subarray(0, bytesRead));
        pos += bytesRead;
      }
    } finally {
      await fh.close();
    }
    files.push(h.digest());
  }

  const total = new Hashes(algorithms);
  const stored: EwfVerification['stored'] = {};
  let bytes = 0;
  for (const [i, p] of paths.entries()) {
    const fh = await fsp.open(p, 'r');
    try {
      for (const s of await sections(fh, p, i + 1)) {
        if (s.type === 'table') bytes += await readTable(fh, p, s, mediaSize - bytes, total);
        if (s.type === 'digest') {
          const d = await readAt(fh, 80, s.offset + F.DESCRIPTOR);
          stored.md5 = d.toString('hex', 0, 16);
          stored.sha1 = d.toString('hex', 16, 36);
        }
        progress?.update(bytes);
      }
    } finally {
      await fh.close();
    }
  }
  progress?.done();
  return { total: total.digest(), files, bytes, stored };
}

/** Decode the chunks one table lists (they lie between its sectors section and the table itself). */
async function readTable(fh: fsp.FileHandle, file: string, s: Section, left: number, hashes: Hashes): Promise<number> {
  const head = await readAt(fh, 24, s.offset + F.DESCRIPTOR);
  const n = head.readUInt32LE(0);
  const base = Number(head.readBigUInt64LE(8));
  if (head.readUInt32LE(20) !== F.adler32(head, 0, 20)) throw new ResponderError(`${file}: bad table header at ${s.offset}`);
  const raw = await readAt(fh, n * 4 + 4, s.offset + F.DESCRIPTOR + 24);
  if (raw.readUInt32LE(n * 4) !== F.adler32(raw, 0, n * 4)) throw new ResponderError(`${file}: bad table entries at ${s.offset}`);
  const starts = Array.from({ length: n }, (_, k) => base + (raw.readUInt32LE(k * 4) & ~F.COMPRESSED));
  const ends = [...starts.slice(1), s.offset];
  let out = 0;
  for (let k = 0; k < n; ) {
    // Read runs of chunks in one go (up to READ bytes).
    let j = k;
    while (j < n && ends[j]! - starts[k]! <= READ) j++;
    j = Math.max(j, k + 1);
    const block = await readAt(fh, ends[j - 1]! - starts[k]!, starts[k]!);
    for (let c = k; c < j; c++) {
      const stored = block.subarray(starts[c]! - starts[k]!, ends[c]! - starts[k]!);
      let data: Buffer;
      if (raw.readUInt32LE(c * 4) & F.COMPRESSED) {
        try {
          data = inflateSync(stored);
        } catch {
          throw new ResponderError(`${file}: chunk at offset ${starts[c]} does not inflate (corrupt)`);
        }
      } else {
        data = stored.subarray(0, stored.length - 4);
        if (stored.length < 4 || stored.readUInt32LE(stored.length - 4) !== F.adler32(data)) throw new ResponderError(`${file}: chunk at offset ${starts[c]} fails its Adler-32`);
      }
      if (data.length > left - out) data = data.subarray(0, Math.max(0, left - out));
      hashes.update(data);
      out += data.length;
    }
    k = j;
  }
  return out;
}
