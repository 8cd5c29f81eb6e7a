// SPDX-License-Identifier: GPL-3.0-or-later
// The passphrase for `responder unlock`: typed at the terminal without echo, or one line from
// stdin when stdin is not a terminal (a pipe, for scripts). It lives in one Buffer that the caller
// hands to cryptsetup through a pipe and then zeroes; it never becomes a string, an argument, a log
// line or a file.
import { ResponderError } from '../lib/errors.js';

/** cryptsetup's own limit for an interactive passphrase is 512 characters; a margin for UTF-8. */
const MAX = 2048;

export async function readPassphrase(prompt: string, input: NodeJS.ReadStream = process.stdin, out: NodeJS.WritableStream = process.stderr): Promise<Buffer> {
  const key = input.isTTY ? await fromTerminal(prompt, input, out) : await firstLine(input);
  if (key.length === 0) throw new ResponderError('no passphrase given (an empty line)', 1, 'type the passphrase, or use --key-file FILE');
  return key;
}

/** Raw mode: every key arrives as typed, nothing is echoed; Enter ends, Backspace edits, Ctrl-C/Ctrl-D abort. */
function fromTerminal(prompt: string, input: NodeJS.ReadStream, out: NodeJS.WritableStream): Promise<Buffer> {
  out.write(prompt);
  const buf = Buffer.alloc(MAX);
  let len = 0;
  return new Promise((resolve, reject) => {
    const finish = (err?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      out.write('\n');
      if (err) {
        buf.fill(0);
        reject(err);
      } else {
        const key = Buffer.from(buf.subarray(0, len));
        buf.fill(0);
        resolve(key);
      }
    };
    const onData = (chunk: Buffer) => {
      try {
        take(chunk);
      } finally {
        chunk.fill(0);
      }
    };
    const take = (chunk: Buffer) => {
      for (const byte of chunk) {
        if (byte === 0x0d || byte === 0x0a) return finish();
        if (byte === 0x03 || (byte === 0x04 && len === 0)) return finish(new ResponderError('passphrase entry cancelled'));
        if (byte === 0x7f || byte === 0x08) {
          // One character back: drop UTF-8 continuation bytes with their lead byte.
          while (len > 0 && (buf[len - 1]! & 0xc0) === 0x80) len--;
          if (len > 0) len--;
          continue;
        }
        if (byte < 0x20) continue; // other control keys (arrows start with ESC) are not part of it
        if (len === MAX) return finish(new ResponderError(`passphrase longer than ${MAX} bytes`));
        buf[len++] = byte;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}

/** Up to the first newline (as cryptsetup reads a piped passphrase); the rest of stdin is ignored. */
function firstLine(input: NodeJS.ReadStream): Promise<Buffer> {
  const buf = Buffer.alloc(MAX);
  let len = 0;
  return new Promise((resolve, reject) => {
    const done = (err?: Error) => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
      if (err) {
        buf.fill(0);
        return reject(err);
      }
      let end = len;
      if (end > 0 && buf[end - 1] === 0x0d) end--; // a CRLF line
      const key = Buffer.from(buf.subarray(0, end));
      buf.fill(0);
      resolve(key);
    };
    const onData = (chunk: Buffer) => {
      const nl = chunk.indexOf(0x0a);
      const part = nl >= 0 ? chunk.subarray(0, nl) : chunk;
      if (len + part.length > MAX) {
        chunk.fill(0);
        return done(new ResponderError(`passphrase on stdin longer than ${MAX} bytes (a key file? use --key-file FILE)`));
      }
      part.copy(buf, len);
      len += part.length;
      chunk.fill(0);
      if (nl >= 0) done();
    };
    const onEnd = () => done();
    const onError = (err: Error) => done(new ResponderError(`reading the passphrase from stdin: ${err.message}`));
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
    input.resume();
  });
}
