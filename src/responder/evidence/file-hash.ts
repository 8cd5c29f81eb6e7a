// SPDX-License-Identifier: GPL-3.0-or-later
// Opening an evidence file, and its sha256, streamed through one 128 KiB buffer (small enough to stay in the
// CPU cache between read() and the hash, faster than 1 MiB here), opened with O_NOFOLLOW and
// O_NONBLOCK (a FIFO cannot hang us) and O_NOATIME where allowed. Written as a factory that uses
// nothing but its arguments, so verify's hash workers run this very source (hash-pool.ts passes
// it to a worker as text) without loading the whole bundle.
type Fs = typeof import('node:fs');
type Crypto = typeof import('node:crypto');

export function makeEvidenceFiles(fs: Fs, crypto: Crypto): { openNoFollow: (file: string | Buffer) => number; sha256File: (file: string) => string } {
  const noatime = (fs.constants as Record<string, number>).O_NOATIME ?? 0;
  const flags = fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;
  const buf = Buffer.allocUnsafe(128 << 10);
  const openNoFollow = (file: string | Buffer): number => {
    try {
      return fs.openSync(file, flags | noatime);
    } catch (err) {
      // O_NOATIME is only allowed on files we own (or as root); retry without it.
      if ((err as NodeJS.ErrnoException).code === 'EPERM' && noatime) return fs.openSync(file, flags);
      throw err;
    }
  };
  const sha256File = (file: string): string => {
    const fd = openNoFollow(file);
    const h = crypto.createHash('sha256');
    try {
      for (let n; (n = fs.readSync(fd, buf, 0, buf.length, null)) > 0; ) h.update(buf.subarray(0, n));
    } finally {
      fs.closeSync(fd);
    }
    return h.digest('hex');
  };
  return { openNoFollow, sha256File };
}
