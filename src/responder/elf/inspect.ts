// SPDX-License-Identifier: GPL-3.0-or-later
// Open one file from the evidence safely and parse it: regular files only (a FIFO or a device
// would block or never end), O_NONBLOCK so opening a FIFO cannot hang, O_NOFOLLOW so a symlink is
// reported as a link (its target escaped), never followed to a file of the analyst's own system,
// O_NOATIME where allowed so reading does not change the access time on a writable copy, and
// sha256 over the whole file.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readlinkSync, readSync } from 'node:fs';
import { escapeName } from '../evidence/escape.js';
import { MalformedElf, NotElf, parseElf, type ByteSource, type ElfInfo } from './parse.js';

export type ElfStatus = 'ok' | 'malformed' | 'not-elf' | 'unreadable' | 'symlink';

export interface ElfReport extends ElfInfo {
  file: string;
  status: ElfStatus;
  reason?: string;
  size?: number;
  sha256?: string;
  /** status symlink: the link's target as stored (escaped); never followed. */
  linkTarget?: string;
  /** With --root: the file inside the evidence that was read after resolving links inside ROOT. */
  resolved?: string;
}

function openEvidence(file: string): number {
  const base = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW;
  try {
    return openSync(file, base | (constants.O_NOATIME ?? 0));
  } catch (err) {
    // O_NOATIME is refused (EPERM) for files we do not own unless root: fall back to a plain read.
    if ((err as NodeJS.ErrnoException).code === 'EPERM') return openSync(file, base);
    throw err;
  }
}

function fdSource(fd: number, size: number): ByteSource {
  return {
    size,
    read(offset, length) {
      const buf = Buffer.alloc(length);
      let got = 0;
      while (got < length) {
        const n = readSync(fd, buf, got, length - got, offset + got);
        if (n === 0) break;
        got += n;
      }
      return got === length ? buf : buf.subarray(0, got);
    },
  };
}

function sha256Fd(fd: number): string {
  const h = createHash('sha256');
  const buf = Buffer.alloc(1 << 20);
  let pos = 0;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n === 0) break;
    h.update(buf.subarray(0, n));
    pos += n;
  }
  return h.digest('hex');
}

function reasonOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'ENOENT') return 'no such file';
  if (e?.code === 'EACCES' || e?.code === 'EPERM') return 'permission denied';
  if (e?.code === 'EISDIR') return 'is a directory';
  if (e?.code === 'ELOOP') return 'is a symlink (replaced while being read?)';
  return e?.code ? `${e.code}: ${e.message}` : String(e?.message ?? err);
}

/** Parse an in-memory ELF image (tests, and anything already read). Never throws. */
export function inspectBuffer(name: string, buf: Buffer): ElfReport {
  const src: ByteSource = { size: buf.length, read: (off, len) => buf.subarray(off, off + len) };
  const report: ElfReport = { file: name, status: 'ok', warnings: [], size: buf.length, sha256: createHash('sha256').update(buf).digest('hex') };
  return finish(report, () => parseElf(src, report));
}

function finish(report: ElfReport, run: () => void): ElfReport {
  try {
    run();
  } catch (err) {
    if (err instanceof NotElf) {
      report.status = 'not-elf';
      report.reason = err.message;
    } else if (err instanceof MalformedElf) {
      report.status = 'malformed';
      report.reason = err.message;
    } else {
      // A bug of ours on strange input still ends as a report, not a crash.
      report.status = 'malformed';
      report.reason = `could not be parsed: ${(err as Error)?.message ?? String(err)}`;
    }
  }
  return report;
}

/** Inspect one file on disk. Never throws: problems become status + reason. */
export function inspectFile(file: string, shownAs = file): ElfReport {
  const report: ElfReport = { file: shownAs, status: 'ok', warnings: [] };
  try {
    const st = lstatSync(file, { throwIfNoEntry: false });
    if (st?.isSymbolicLink()) {
      let target = '';
      try {
        target = escapeName(readlinkSync(file, { encoding: 'buffer' }));
      } catch {
        /* vanished: the open below says so */
      }
      return { ...report, status: 'symlink', linkTarget: target, reason: `symlink to ${target}: not followed (give --root ROOT to resolve it inside the evidence)` };
    }
  } catch {
    /* the open below reports it */
  }
  let fd: number;
  try {
    fd = openEvidence(file);
  } catch (err) {
    return { ...report, status: 'unreadable', reason: reasonOf(err) };
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return { ...report, status: 'unreadable', reason: st.isDirectory() ? 'is a directory' : 'not a regular file' };
    report.size = st.size;
    try {
      report.sha256 = sha256Fd(fd);
    } catch (err) {
      return { ...report, status: 'unreadable', reason: `read error: ${reasonOf(err)}` };
    }
    return finish(report, () => parseElf(fdSource(fd, st.size), report));
  } finally {
    closeSync(fd);
  }
}
