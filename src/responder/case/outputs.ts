// SPDX-License-Identifier: GPL-3.0-or-later
// The files a command wrote, for the journal: commands call recordOutput() once a file is
// complete; the journal then fsyncs and hashes each (or takes a hash the command already has,
// such as an image's verified sha256, instead of reading hundreds of GiB again).
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import path from 'node:path';
import { syncFile } from '../lib/durable.js';
import type { OutputRecord } from './journal.js';

const recorded = new Map<string, string | undefined>();

export function recordOutput(file: string, knownSha256?: string): void {
  recorded.set(path.resolve(file), knownSha256);
}

export function recordedOutputs(): string[] {
  return [...recorded.keys()];
}

async function fileSha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** fsync and describe every recorded output (a file that vanished is left out). */
export async function describeOutputs(caseDir: string): Promise<OutputRecord[]> {
  const out: OutputRecord[] = [];
  for (const [file, known] of recorded) {
    const st = await fsp.stat(file).catch(() => undefined);
    if (!st?.isFile()) continue;
    await syncFile(file);
    const rel = path.relative(caseDir, file);
    out.push({ path: rel.startsWith('..') || path.isAbsolute(rel) ? file : rel, bytes: st.size, sha256: known ?? (await fileSha256(file)) });
  }
  return out;
}
