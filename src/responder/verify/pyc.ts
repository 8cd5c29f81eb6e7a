// SPDX-License-Identifier: GPL-3.0-or-later
// Compiled Python files (__pycache__/NAME.cpython-3XY[.opt-N].pyc) are made on the system by
// py3compile, so no package ships them; yet Python runs them instead of the .py beside them when
// their header matches that .py. Each one is therefore checked against what it must be (PEP 552):
// the magic number of its interpreter version, and either the source's mtime and size (the
// default) or, for a hash-based pyc, the "check source" flag so that Python itself compares the
// hash with the verified .py. The .py must be a trusted, unchanged file, and the size in the
// header must be its trusted size. A header copied from the real pyc onto other code still
// passes: that limit is the README's.
import type { Stats } from 'node:fs';
import { readHead, type RootResolver } from '../evidence/root-path.js';
import type { Owned } from './check-packages.js';

/** Final magic numbers of each CPython 3 release (Lib/importlib/_bootstrap_external.py). */
const MAGIC: Record<string, number> = { '37': 3394, '38': 3413, '39': 3425, '310': 3439, '311': 3495, '312': 3531, '313': 3571 };

const PYC = /^(.*)\/__pycache__\/([^/]+)\.cpython-(3\d+)(?:\.opt-[12])?\.pyc$/;

export type PycVerdict =
  | { kind: 'verified' }
  /** Not a pyc of a known interpreter: no Python on a Debian system loads it (information). */
  | { kind: 'unverifiable'; why: string }
  | { kind: 'bad'; why: string };

export const isPycPath = (rel: string) => PYC.test(rel);

/** The pyc at `rel` (canonical, regular file `st`) against the trusted .py beside its __pycache__. */
export function checkPyc(r: RootResolver, rel: string, st: Stats, owned: Map<string, Owned>, trustedSize: (rel: string) => number | undefined): PycVerdict {
  const m = PYC.exec(rel);
  if (!m) return { kind: 'bad', why: 'not a compiled Python file name' };
  const [, dir, name, tag] = m;
  const magic = MAGIC[tag!];
  if (magic === undefined) return { kind: 'unverifiable', why: `no known CPython 3.${tag!.slice(2)} magic number` };
  if (!st.isFile()) return { kind: 'bad', why: 'not a regular file' };
  const named = `${dir}/${name}.py`;
  // Python stats the source through symlinks (sitecustomize.py -> /etc/python3.11/...): the file at the end counts.
  const source = r.lstat(named)?.isSymbolicLink() ? (r.resolveFully(named) ?? named) : named;
  const src = owned.get(named) && owned.get(source);
  if (!src) return { kind: 'bad', why: `no packaged source ${'/' + named} beside it: Python would run this code as module ${name}` };
  if (!src.ok) return { kind: 'bad', why: `its source ${'/' + source} differs from the trusted package` };
  let head: Buffer;
  try {
    head = readHead(r.abs(rel), 16);
  } catch (err) {
    return { kind: 'bad', why: `unreadable: ${(err as Error).message}` };
  }
  if (head.length < 16) return { kind: 'bad', why: 'shorter than a pyc header' };
  if (head.readUInt16LE(0) !== magic || head.readUInt16LE(2) !== 0x0a0d) return { kind: 'bad', why: `magic ${head.subarray(0, 4).toString('hex')}, CPython 3.${tag!.slice(2)} writes ${magic}` };
  const flags = head.readUInt32LE(4);
  if (flags === 3) return { kind: 'verified' }; // hash-based, checked against the (verified) source by Python at every import
  if (flags !== 0) return { kind: 'bad', why: `flags ${flags}: a hash-based pyc that Python loads without checking its source` };
  const want = trustedSize(source);
  const size = head.readUInt32LE(12);
  if (want === undefined || size !== want % 2 ** 32) return { kind: 'bad', why: `header says source size ${size}, the trusted ${name}.py has ${want ?? 'no size'}` };
  const pySt = r.lstat(source);
  const mtime = head.readUInt32LE(8);
  if (!pySt || mtime !== Math.floor(pySt.mtimeMs / 1000) % 2 ** 32) return { kind: 'bad', why: `header says source mtime ${mtime}, the .py has ${pySt ? Math.floor(pySt.mtimeMs / 1000) : 'none'}` };
  return { kind: 'verified' };
}
