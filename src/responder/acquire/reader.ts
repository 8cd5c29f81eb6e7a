// SPDX-License-Identifier: GPL-3.0-or-later
// Reading the source in big chunks, and, when a chunk fails, sector by sector with retries. A
// sector that still cannot be read is zero-filled in the image and recorded with its offset, so
// the custody log says exactly which bytes of the image are not from the evidence. Never silent.

/** fs.FileHandle.read's shape, so tests can inject a reader that fails where they want. */
export type ReadFn = (buf: Buffer, bufOffset: number, length: number, position: number) => Promise<{ bytesRead: number }>;

export interface BadRange {
  offset: number;
  length: number;
  error: string;
}

export class RetryingReader {
  readonly badRanges: BadRange[] = [];
  zeroFilled = 0;
  retriedReads = 0;

  constructor(
    private readonly readFn: ReadFn,
    private readonly size: number,
    private readonly sectorSize: number,
    private readonly retries = 3,
  ) {}

  /** Fill buf[0, length) from `position`; returns fewer bytes only at the end of the source. */
  async readChunk(buf: Buffer, position: number, length: number): Promise<number> {
    const want = Math.max(0, Math.min(length, this.size - position));
    let done = 0;
    while (done < want) {
      let n: number;
      try {
        ({ bytesRead: n } = await this.readFn(buf, done, want - done, position + done));
      } catch {
        // Fall back to sectors for the rest of this chunk only; the next chunk tries big reads again.
        return done + (await this.slowPath(buf, done, position + done, want - done));
      }
      if (n === 0) break; // the source ended early (a device that shrank, a truncated file)
      done += n;
    }
    return done;
  }

  private async slowPath(buf: Buffer, bufOffset: number, position: number, length: number): Promise<number> {
    let done = 0;
    while (done < length) {
      // Align to the sector grid so a bad sector costs exactly one sector of zeros.
      const pos = position + done;
      const step = Math.min(length - done, this.sectorSize - (pos % this.sectorSize));
      const got = await this.readSector(buf, bufOffset + done, step, pos);
      if (got === 0) return done; // end of source
      done += got;
    }
    return done;
  }

  private async readSector(buf: Buffer, bufOffset: number, length: number, position: number): Promise<number> {
    let lastError = '';
    for (let attempt = 0; attempt <= this.retries; attempt++) {
      if (attempt > 0) this.retriedReads++;
      try {
        let got = 0;
        while (got < length) {
          const { bytesRead } = await this.readFn(buf, bufOffset + got, length - got, position + got);
          if (bytesRead === 0) break;
          got += bytesRead;
        }
        return got;
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        lastError = e.code ?? e.message ?? String(err);
      }
    }
    buf.fill(0, bufOffset, bufOffset + length);
    this.zeroFilled += length;
    const last = this.badRanges.at(-1);
    if (last && last.offset + last.length === position && last.error === lastError) last.length += length;
    else this.badRanges.push({ offset: position, length, error: lastError });
    return length;
  }
}
