// SPDX-License-Identifier: GPL-3.0-or-later
// Where the image goes: local files (optionally split into numbered pieces, each with its own
// hashes), stdout, a TCP socket, or `ssh HOST 'cat > PATH'`. Every write waits for the previous
// one (backpressure), so memory stays bounded by a few chunks whatever the source size.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants, promises as fsp } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { ResponderError, describeSystemError } from '../lib/errors.js';
import { renameNoClobber, syncDir } from '../lib/durable.js';
import { Hashes } from './hashes.js';
import type { HashName } from './options.js';
import type { BadRange } from './reader.js';
import { sshArgv, type Destination } from './options.js';

export interface Piece {
  path: string;
  bytes: number;
  hashes: Record<string, string>;
}

/** What the pass learnt about the data, for sinks that store it inside the image (E01). */
export interface SinkResult {
  hashes: Record<string, string>;
  badRanges: BadRange[];
}

export interface Sink {
  write(chunk: Buffer): Promise<void>;
  /** Flush and close; returns the pieces written (local files only). */
  close(result?: SinkResult): Promise<Piece[]>;
  /** Close without caring (on an error path). */
  abort(): Promise<void>;
}

export function pieceName(base: string, index: number): string {
  return `${base}.${String(index + 1).padStart(3, '0')}`;
}

/** Images are written under NAME.partial and get their final name only once complete and verified. */
export const PARTIAL = '.partial';

/** Give verified pieces their final names (never replacing a file), updating their paths. */
export async function publishPieces(pieces: Piece[]): Promise<void> {
  for (const p of pieces) {
    if (!p.path.endsWith(PARTIAL)) continue;
    const final = p.path.slice(0, -PARTIAL.length);
    await renameNoClobber(p.path, final);
    p.path = final;
  }
}

/**
 * Local file(s), each written as NAME.partial (see publishPieces). New files only (O_EXCL): an
 * acquisition never overwrites anything. Each piece is fsynced before the next one starts.
 */
export class FileSink implements Sink {
  private fh?: fsp.FileHandle;
  private index = -1;
  private inPiece = 0;
  private current?: { path: string; bytes: number; hashes: Hashes };
  private readonly pieces: Piece[] = [];

  constructor(
    private readonly base: string,
    private readonly split: number | undefined,
    private readonly algorithms: HashName[],
  ) {}

  private async next(): Promise<void> {
    await this.finishPiece();
    this.index++;
    const p = (this.split ? pieceName(this.base, this.index) : this.base) + PARTIAL;
    try {
      this.fh = await fsp.open(p, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o640);
    } catch (err) {
      throw describeSystemError(err, p);
    }
    this.current = { path: p, bytes: 0, hashes: new Hashes(this.algorithms) };
    this.inPiece = 0;
  }

  private async finishPiece(): Promise<void> {
    if (!this.fh || !this.current) return;
    await this.fh.sync(); // on the medium before we claim it is written
    await this.fh.close();
    await syncDir(path.dirname(this.current.path));
    this.fh = undefined;
    this.pieces.push({ path: this.current.path, bytes: this.current.bytes, hashes: this.current.hashes.digest() });
    this.current = undefined;
  }

  async write(chunk: Buffer): Promise<void> {
    let off = 0;
    while (off < chunk.length) {
      if (!this.fh || (this.split && this.inPiece >= this.split)) await this.next();
      const room = this.split ? this.split - this.inPiece : chunk.length - off;
      const part = chunk.subarray(off, off + Math.min(room, chunk.length - off));
      if (this.split) this.current!.hashes.update(part); // per-piece hashes only matter when split
      let w = 0;
      try {
        while (w < part.length) w += (await this.fh!.write(part, w, part.length - w)).bytesWritten;
      } catch (err) {
        throw describeSystemError(err, this.current!.path);
      }
      this.current!.bytes += part.length;
      this.inPiece += part.length;
      off += part.length;
    }
  }

  async close(): Promise<Piece[]> {
    if (!this.fh && this.index < 0) await this.next(); // an empty source still gives an (empty) image
    await this.finishPiece();
    return this.pieces;
  }

  async abort(): Promise<void> {
    await this.fh?.close().catch(() => undefined);
  }
}

/** A writable stream (stdout, a socket, ssh's stdin) with backpressure and its errors surfaced. */
class StreamSink implements Sink {
  private error?: Error;
  constructor(
    private readonly stream: Writable,
    private readonly what: string,
    private readonly finished: () => Promise<void> = async () => undefined,
  ) {
    stream.on('error', (err) => (this.error ??= err));
  }

  write(chunk: Buffer): Promise<void> {
    if (this.error) return Promise.reject(describeSystemError(this.error, this.what));
    return new Promise((resolve, reject) => {
      // The callback fires once the chunk is handed to the OS; we do not reuse the buffer before.
      this.stream.write(chunk, (err) => (err ? reject(describeSystemError(err, this.what)) : resolve()));
    });
  }

  async close(): Promise<Piece[]> {
    await new Promise<void>((resolve, reject) => {
      if (this.error) return reject(describeSystemError(this.error, this.what));
      this.stream.end(() => resolve());
    });
    await this.finished();
    return [];
  }

  async abort(): Promise<void> {
    this.stream.destroy();
  }
}

export function stdoutSink(): Sink {
  return new StreamSink(process.stdout, 'stdout');
}

export async function tcpSink(host: string, port: number): Promise<Sink> {
  const socket = await new Promise<net.Socket>((resolve, reject) => {
    const s = net.connect({ host, port }, () => resolve(s));
    s.once('error', (err) => reject(describeSystemError(err, `tcp://${host}:${port}`)));
  });
  socket.setNoDelay(false);
  return new StreamSink(socket, `tcp://${host}:${port}`);
}

export function sshSink(d: Extract<Destination, { kind: 'ssh' }>): Sink {
  const argv = sshArgv(d);
  // ssh reads a password or passphrase from the terminal, not from stdin (which carries the image).
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'inherit', 'inherit'] });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.once('error', (err) => reject(describeSystemError(err, 'ssh')));
    child.once('close', (code) => resolve(code));
  });
  exited.catch(() => undefined);
  return new StreamSink(child.stdin!, d.url, async () => {
    const code = await exited;
    if (code !== 0) throw new ResponderError(`ssh to ${d.host} exited with code ${code}: the remote copy is incomplete`);
  });
}
