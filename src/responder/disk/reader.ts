// SPDX-License-Identifier: GPL-3.0-or-later
// Positional, synchronous, read-only access to a disk, a partition or an image file. The
// superblock and partition-table parsers only ever see this interface, so they can be tested on
// in-memory buffers and can never write: there is no write method to call.
import { closeSync, fstatSync, openSync, readSync, constants } from 'node:fs';

export interface BlockReader {
  /** Size in bytes of what is being read (a partition's size when the reader is a window). */
  readonly size: number;
  /** Up to `length` bytes at `offset`; shorter (possibly empty) at the end, never past `size`. */
  read(offset: number, length: number): Buffer;
}

/** A reader over an in-memory buffer (tests, and already-read sectors). */
export function bufferReader(buf: Buffer): BlockReader {
  return {
    size: buf.length,
    read(offset, length) {
      if (offset < 0 || offset >= buf.length) return Buffer.alloc(0);
      return buf.subarray(offset, Math.min(buf.length, offset + length));
    },
  };
}

/** A window of another reader: a partition inside a disk image, for example. */
export function windowReader(inner: BlockReader, start: number, size: number): BlockReader {
  const limit = Math.max(0, Math.min(size, inner.size - start));
  return {
    size: limit,
    read(offset, length) {
      if (offset < 0 || offset >= limit) return Buffer.alloc(0);
      return inner.read(start + offset, Math.min(length, limit - offset));
    },
  };
}

/** Opened O_RDONLY (never O_RDWR, never O_CREAT): reading a disk must not be able to change it. */
export class FileReader implements BlockReader {
  private constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  /** `size` must be given for block devices (fstat reports 0 for them; take it from /sys). */
  static open(path: string, size?: number): FileReader {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOCTTY);
    try {
      const st = fstatSync(fd);
      return new FileReader(fd, size ?? st.size);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  read(offset: number, length: number): Buffer {
    if (offset < 0 || offset >= this.size) return Buffer.alloc(0);
    const want = Math.min(length, this.size - offset);
    const buf = Buffer.alloc(want);
    let done = 0;
    while (done < want) {
      const n = readSync(this.fd, buf, done, want - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return buf.subarray(0, done);
  }

  close(): void {
    closeSync(this.fd);
  }
}
