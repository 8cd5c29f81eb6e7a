// SPDX-License-Identifier: GPL-3.0-or-later
// Where two builds of the same profile differ: the files inside the ISOs, the files inside the
// squashfs layers that differ, and, when every file matches, the first differing byte of the
// image itself (system area, volume descriptors, the appended ESP). diffoscope, when installed,
// says more; this is what an auditor gets without it.
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, readdir, readlink, lstat } from 'node:fs/promises';
import path from 'node:path';
import { fileSha256 } from '../../shared/hash.js';
import { run } from '../exec/run.js';

/** file path (relative, '/'-separated) -> sha256 and metadata, `link:<target>` for symlinks, `dir` for folders. */
export async function treeDigest(root: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(path.join(root, rel))).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const full = path.join(root, r);
      const st = await lstat(full);
      // Owner, mode and (for files) mtime count: a layer that differs only in metadata shows up too.
      // Folder mtimes do not: unpacking into a folder changes its own.
      const meta = `${(st.mode & 0o7777).toString(8)} ${st.uid}:${st.gid}`;
      const mtime = `mtime=${Math.floor(st.mtimeMs / 1000)}`;
      if (st.isSymbolicLink()) out.set(r, `link:${await readlink(full)} ${st.uid}:${st.gid}`);
      else if (st.isDirectory()) {
        out.set(r, `dir ${meta}`);
        await walk(r);
      } else if (st.isFile()) out.set(r, `${await fileSha256(full)} ${meta} ${mtime}`);
      else out.set(r, `special ${st.mode.toString(8)} ${st.rdev}`);
    }
  };
  await walk('');
  return out;
}

/**
 * Paths whose digest differs, marked `(content)` or `(metadata: mode, owner or mtime)`, or that
 * exist on one side only.
 */
export function diffDigests(a: Map<string, string>, b: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [p, d] of a) {
    const other = b.get(p);
    if (other === undefined) out.push(`${p} (only in the first build)`);
    else if (other !== d) out.push(`${p} (${other.split(' ')[0] === d.split(' ')[0] ? 'metadata: mode, owner or mtime' : 'content'})`);
  }
  for (const p of b.keys()) if (!a.has(p)) out.push(`${p} (only in the second build)`);
  return out.sort();
}

/** Offset of the first byte where two files differ, or -1 when they are equal. */
export async function firstDifference(a: string, b: string): Promise<number> {
  const sa = createReadStream(a, { highWaterMark: 1 << 20 })[Symbol.asyncIterator]();
  const sb = createReadStream(b, { highWaterMark: 1 << 20 })[Symbol.asyncIterator]();
  let offset = 0;
  let bufA: Buffer = Buffer.alloc(0);
  let bufB: Buffer = Buffer.alloc(0);
  for (;;) {
    if (bufA.length === 0) bufA = ((await sa.next()).value as Buffer | undefined) ?? Buffer.alloc(0);
    if (bufB.length === 0) bufB = ((await sb.next()).value as Buffer | undefined) ?? Buffer.alloc(0);
    if (bufA.length === 0 || bufB.length === 0) return bufA.length === bufB.length ? -1 : offset;
    const n = Math.min(bufA.length, bufB.length);
    const ca = bufA.subarray(0, n);
    const cb = bufB.subarray(0, n);
    if (!ca.equals(cb)) {
      for (let i = 0; i < n; i++) if (ca[i] !== cb[i]) return offset + i;
    }
    offset += n;
    bufA = bufA.subarray(n);
    bufB = bufB.subarray(n);
  }
}

export interface IsoDifference {
  /** Paths inside the ISO, and `LAYER:path` inside its squashfs layers. */
  paths: string[];
  /** When no file differs: the first differing byte of the images. */
  firstByte?: number;
}

/** Unpack both ISOs (and any squashfs layer that differs) under `scratch` and list what differs. */
export async function compareIsos(a: string, b: string, scratch: string): Promise<IsoDifference> {
  const trees = { a: path.join(scratch, 'a'), b: path.join(scratch, 'b') };
  for (const [side, iso] of [
    ['a', a],
    ['b', b],
  ] as const) {
    await mkdir(trees[side], { recursive: true });
    await run(['xorriso', '-osirrox', 'on', '-indev', iso, '-extract', '/', trees[side]], { label: 'xorriso' });
  }
  const paths = diffDigests(await treeDigest(trees.a), await treeDigest(trees.b));
  const detailed: string[] = [];
  for (const entry of paths) {
    detailed.push(entry);
    const p = entry.replace(/ \(content\)$/, '');
    if (!p.endsWith('.squashfs') || !existsSync(path.join(trees.a, p)) || !existsSync(path.join(trees.b, p))) continue;
    const layer = { a: path.join(scratch, `layer-a-${path.basename(p)}`), b: path.join(scratch, `layer-b-${path.basename(p)}`) };
    for (const side of ['a', 'b'] as const) {
      await run(['unsquashfs', '-no-progress', '-quiet', '-d', layer[side], path.join(trees[side], p)], { label: 'unsquashfs', allowFailure: true });
    }
    for (const inner of diffDigests(await treeDigest(layer.a), await treeDigest(layer.b))) detailed.push(`${p}:${inner}`);
  }
  if (detailed.length) return { paths: detailed };
  return { paths: [], firstByte: await firstDifference(a, b) };
}
