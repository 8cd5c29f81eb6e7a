// SPDX-License-Identifier: GPL-3.0-or-later
// Sort (time, key, payload) records with bounded memory: keep up to `chunkSize` records in memory;
// when full, sort them and write them to a temporary chunk file; at the end k-way merge the chunks
// with a small heap, reading each chunk through a fixed-size buffer. Order: time, then key (string
// comparison, as mactime does), then insertion order (stable sort inside a chunk, earlier chunk
// first in the merge). Keys and payloads must not contain tabs or newlines (escaped names do not).
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const DEFAULT_CHUNK_RECORDS = 100_000;

export type SortedRecord = [time: number, key: string, payload: string];

function cmp(at: number, ak: string, bt: number, bk: string): number {
  return at - bt || (ak < bk ? -1 : ak > bk ? 1 : 0);
}

export class ExternalSorter {
  private times: number[] = [];
  private keys: string[] = [];
  private payloads: string[] = [];
  private chunks: string[] = [];
  private dir: string | undefined;
  count = 0;

  constructor(
    private readonly chunkSize = DEFAULT_CHUNK_RECORDS,
    private readonly tmpParent = os.tmpdir(),
  ) {}

  add(time: number, key: string, payload: string): void {
    this.times.push(time);
    this.keys.push(key);
    this.payloads.push(payload);
    this.count++;
    if (this.times.length >= this.chunkSize) this.spill();
  }

  /** Number of chunk files written so far (0 means everything fit in memory). */
  get spilledChunks(): number {
    return this.chunks.length;
  }

  private sortedIndexes(): number[] {
    const idx = this.times.map((_, i) => i);
    idx.sort((a, b) => cmp(this.times[a]!, this.keys[a]!, this.times[b]!, this.keys[b]!) || a - b);
    return idx;
  }

  private spill(): void {
    this.dir ??= mkdtempSync(path.join(this.tmpParent, 'responder-timeline-'));
    const file = path.join(this.dir, `chunk-${this.chunks.length}`);
    const fd = openSync(file, 'wx', 0o600);
    try {
      let buf = '';
      for (const i of this.sortedIndexes()) {
        buf += `${this.times[i]}\t${this.keys[i]}\t${this.payloads[i]}\n`;
        if (buf.length >= 1 << 20) {
          writeSync(fd, buf);
          buf = '';
        }
      }
      if (buf) writeSync(fd, buf);
    } finally {
      closeSync(fd);
    }
    this.chunks.push(file);
    this.times = [];
    this.keys = [];
    this.payloads = [];
  }

  /** All records in order. Call once; temporary files are removed when iteration ends. */
  *sorted(): Generator<SortedRecord> {
    try {
      if (this.chunks.length === 0) {
        for (const i of this.sortedIndexes()) yield [this.times[i]!, this.keys[i]!, this.payloads[i]!];
        return;
      }
      if (this.times.length > 0) this.spill();
      const readers = this.chunks.map((f) => new LineReader(f));
      try {
        const heap = new MinHeap();
        readers.forEach((r, k) => {
          const rec = r.nextRecord();
          if (rec) heap.push({ rec, source: k });
        });
        for (let top = heap.pop(); top; top = heap.pop()) {
          yield top.rec;
          const rec = readers[top.source]!.nextRecord();
          if (rec) heap.push({ rec, source: top.source });
        }
      } finally {
        for (const r of readers) r.close();
      }
    } finally {
      this.cleanup();
    }
  }

  cleanup(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
    this.times = [];
    this.keys = [];
    this.payloads = [];
  }
}

/** Reads "time\tkey\tpayload" lines from a chunk file through a 256 KiB buffer. */
class LineReader {
  private fd: number;
  private buf = Buffer.alloc(256 * 1024);
  private pending = '';
  private lines: string[] = [];
  private pos = 0;
  private eof = false;

  constructor(file: string) {
    this.fd = openSync(file, 'r');
  }

  nextRecord(): SortedRecord | undefined {
    while (this.pos >= this.lines.length) {
      if (this.eof) return undefined;
      const n = readSync(this.fd, this.buf, 0, this.buf.length, null);
      if (n === 0) {
        this.eof = true;
        this.lines = this.pending ? [this.pending] : [];
        this.pending = '';
      } else {
        // Split on newlines as bytes (latin1 keeps every byte one character), then decode each
        // whole line as UTF-8: a multi-byte character cut by the read boundary stays intact.
        const all = (this.pending + this.buf.toString('latin1', 0, n)).split('\n');
        this.pending = all.pop() ?? '';
        this.lines = all.map((l) => Buffer.from(l, 'latin1').toString('utf8'));
      }
      this.pos = 0;
    }
    const line = this.lines[this.pos++]!;
    const t1 = line.indexOf('\t');
    const t2 = line.indexOf('\t', t1 + 1);
    return [Number(line.slice(0, t1)), line.slice(t1 + 1, t2), line.slice(t2 + 1)];
  }

  close(): void {
    closeSync(this.fd);
  }
}

interface HeapItem {
  rec: SortedRecord;
  source: number;
}

/** Binary min-heap on (time, key, source): the lower chunk index wins ties, which keeps the merge stable. */
class MinHeap {
  private a: HeapItem[] = [];
  private less(x: HeapItem, y: HeapItem): boolean {
    const c = cmp(x.rec[0], x.rec[1], y.rec[0], y.rec[1]);
    return c < 0 || (c === 0 && x.source < y.source);
  }
  push(item: HeapItem): void {
    const a = this.a;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): HeapItem | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l;
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}
