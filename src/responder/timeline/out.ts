// SPDX-License-Identifier: GPL-3.0-or-later
// Buffered writers: a file (synchronous, 256 KiB batches) and stdout (respects back-pressure and
// stops quietly when the reader goes away, e.g. `responder timeline ... | head`).
import { closeSync, openSync, writeSync } from 'node:fs';

export class FileLineWriter {
  private fd: number;
  private buf = '';
  constructor(path: string) {
    // 'wx': never overwrite an existing file (it could be someone's evidence or an earlier result).
    this.fd = openSync(path, 'wx', 0o644);
  }
  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= 256 * 1024) this.flush();
  }
  flush(): void {
    if (this.buf) writeSync(this.fd, this.buf);
    this.buf = '';
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export class StdoutWriter {
  private buf = '';
  closed = false;
  constructor(private readonly stream: NodeJS.WritableStream = process.stdout) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      // EPIPE: the reader stopped reading; anything else also ends our output, never a crash.
      if (err.code !== 'EPIPE') process.stderr.write(`responder: stdout: ${err.message}\n`);
      this.closed = true;
    });
  }
  async write(s: string): Promise<void> {
    if (this.closed) return;
    this.buf += s;
    if (this.buf.length >= 64 * 1024) await this.flush();
  }
  async flush(): Promise<void> {
    if (this.closed || !this.buf) return;
    const chunk = this.buf;
    this.buf = '';
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
      });
    }
  }
}
