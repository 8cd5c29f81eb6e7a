// SPDX-License-Identifier: GPL-3.0-or-later
// Read a .deb without dpkg: the ar container (ar.ts), then control.tar.* (control, md5sums,
// conffiles) and data.tar.* (every file hashed while it streams past, never written anywhere),
// whatever the compression (decompress.ts). Shared by the builder (reference database) and the
// responder (`verify --debs`): node built-ins and tar-stream only.
import { createHash } from 'node:crypto';
import { extract } from 'tar-stream';
import { readArMembers, type ArMember } from './ar.js';
import { compressionOf, decompressRange } from './decompress.js';

export interface DebEntry {
  /** Absolute path as installed, e.g. /usr/bin/ls (never a trailing slash). */
  path: string;
  type: 'file' | 'symlink';
  /** Permission bits including setuid/setgid/sticky (07777). */
  mode: number;
  size: number;
  sha256?: string;
  md5?: string;
  /** Symlink target, exactly as packaged. */
  target?: string;
}

export interface DebContents {
  /** The control file's text. */
  control: string;
  /** The package's own md5sums: path -> md5. */
  md5sums: Map<string, string>;
  conffiles: string[];
  /** Files and symlinks of data.tar, in archive order (directories and device nodes left out). */
  entries: DebEntry[];
}

/** "./usr/bin/ls" -> "/usr/bin/ls"; "./" -> "/". */
export function normalizeTarPath(name: string): string {
  let p = name.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  p = p.replace(/\/{2,}/g, '/');
  return '/' + p;
}

function member(members: ArMember[], prefix: string): ArMember {
  const m = members.find((x) => x.name === prefix || x.name.startsWith(prefix + '.'));
  if (!m) throw new Error(`no ${prefix} member`);
  return m;
}

/** Visit each tar entry of one ar member, decompressed on the fly. */
async function eachTarEntry(file: string, m: ArMember, visit: (header: import('tar-stream').Header, body: AsyncIterable<Buffer>) => Promise<void>): Promise<void> {
  const { stream, done } = decompressRange(file, m.offset, m.size, compressionOf(m.name));
  const tar = extract();
  stream.pipe(tar as unknown as NodeJS.WritableStream);
  // Surface a decompressor failure even while the tar parser is waiting for more input.
  let failure: unknown;
  done.catch((err: unknown) => {
    failure = err;
    tar.destroy(err as Error);
  });
  try {
    for await (const entry of tar) await visit(entry.header, entry as unknown as AsyncIterable<Buffer>);
  } catch (err) {
    stream.destroy();
    throw failure ?? err;
  }
  await done;
}

async function readAll(body: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of body) parts.push(chunk);
  return Buffer.concat(parts);
}

async function drain(body: AsyncIterable<Buffer>): Promise<void> {
  for await (const _ of body);
}

/** md5sums lines: "HASH  relative/path" (two spaces; a leading "./" or "/" is tolerated). */
export function parseMd5sums(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-fA-F]{32}) [ *]?(.+)$/.exec(line);
    if (m) out.set(normalizeTarPath(m[2]!), m[1]!.toLowerCase());
  }
  return out;
}

export async function readDeb(file: string): Promise<DebContents> {
  const members = readArMembers(file);
  if (members[0]?.name !== 'debian-binary') throw new Error(`${file}: not a Debian package (first member is not debian-binary)`);
  const out: DebContents = { control: '', md5sums: new Map(), conffiles: [], entries: [] };
  await eachTarEntry(file, member(members, 'control.tar'), async (h, body) => {
    const name = normalizeTarPath(h.name);
    if (h.type !== 'file' || !['/control', '/md5sums', '/conffiles'].includes(name)) return drain(body);
    const text = (await readAll(body)).toString('utf8');
    if (name === '/control') out.control = text;
    else if (name === '/md5sums') out.md5sums = parseMd5sums(text);
    else
      out.conffiles = text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith('/'));
  });
  const byPath = new Map<string, DebEntry>();
  await eachTarEntry(file, member(members, 'data.tar'), async (h, body) => {
    const p = normalizeTarPath(h.name);
    const mode = h.mode & 0o7777;
    if (h.type === 'file' || h.type === 'contiguous-file') {
      const sha = createHash('sha256');
      const md5 = createHash('md5');
      let size = 0;
      for await (const chunk of body) {
        sha.update(chunk);
        md5.update(chunk);
        size += chunk.length;
      }
      const e: DebEntry = { path: p, type: 'file', mode, size, sha256: sha.digest('hex'), md5: md5.digest('hex') };
      out.entries.push(e);
      byPath.set(p, e);
      return;
    }
    await drain(body);
    if (h.type === 'symlink') {
      out.entries.push({ path: p, type: 'symlink', mode: 0o777, size: 0, target: h.linkname });
    } else if (h.type === 'link') {
      // A hard link carries no data: it has the content of the entry it names (earlier in the archive).
      const to = byPath.get(normalizeTarPath(h.linkname));
      if (!to) throw new Error(`${file}: hard link ${p} to ${h.linkname}, which is not in the archive before it`);
      const e: DebEntry = { ...to, path: p, mode: mode || to.mode };
      out.entries.push(e);
      byPath.set(p, e);
    }
    // Directories and device nodes carry no content to verify.
  });
  return out;
}
