// SPDX-License-Identifier: GPL-3.0-or-later
// The ar container of a .deb (deb(5)): "!<arch>\n", then for each member a 60-byte header (name,
// mtime, uid, gid, mode, size in decimal, "`\n") and its data padded to an even offset. Parsed by
// hand because it is that simple; only the header bytes are read, member data is streamed later.
// Shared by the builder and the responder: node built-ins only.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface ArMember {
  name: string;
  /** Offset of the member's data in the file. */
  offset: number;
  size: number;
}

const MAGIC = '!<arch>\n';
const HEADER = 60;

export class ArError extends Error {
  override name = 'ArError';
}

/** Members of an ar archive held in a buffer (unit tests, small files). */
export function parseArBuffer(buf: Buffer): ArMember[] {
  return parseAr((pos, len) => buf.subarray(pos, pos + len), buf.length);
}

/** Members of an ar archive on disk, reading only the headers. */
export function readArMembers(file: string): ArMember[] {
  const fd = openSync(file, 'r');
  try {
    const total = fstatSync(fd).size;
    return parseAr((pos, len) => {
      const b = Buffer.alloc(len);
      const n = readSync(fd, b, 0, len, pos);
      return b.subarray(0, n);
    }, total);
  } finally {
    closeSync(fd);
  }
}

function parseAr(read: (pos: number, len: number) => Buffer, total: number): ArMember[] {
  if (read(0, MAGIC.length).toString('latin1') !== MAGIC) throw new ArError('not an ar archive (no !<arch> magic)');
  const members: ArMember[] = [];
  let pos = MAGIC.length;
  while (pos < total) {
    const h = read(pos, HEADER);
    if (h.length < HEADER) throw new ArError(`truncated ar header at offset ${pos}`);
    if (h.toString('latin1', 58, 60) !== '`\n') throw new ArError(`bad ar header terminator at offset ${pos}`);
    // GNU ar ends names with "/"; dpkg-deb writes them padded with spaces.
    const name = h.toString('latin1', 0, 16).trimEnd().replace(/\/$/, '');
    const sizeText = h.toString('latin1', 48, 58).trim();
    if (!/^\d+$/.test(sizeText)) throw new ArError(`bad ar member size "${sizeText}" at offset ${pos}`);
    const size = Number(sizeText);
    const offset = pos + HEADER;
    if (offset + size > total) throw new ArError(`ar member ${name} runs past the end of the file`);
    members.push({ name, offset, size });
    pos = offset + size + (size % 2);
  }
  return members;
}
