// SPDX-License-Identifier: GPL-3.0-or-later
// The Sleuth Kit on an image or device: `fls -r -m MOUNT -o SECTORS IMAGE` lists every name the file
// system still knows, deleted ones (" (deleted)", " (deleted-realloc)") and orphans
// ("/$OrphanFiles/...") included, as body lines. Its names are raw bytes with "|" unescaped and
// control bytes as "^": each line is re-read from the right (parseBodyLine) and the name escaped
// like responder's own, so every line has 11 fields and is valid UTF-8.
import { escapeName, parseBodyLine, type BodyRecord } from '../timeline/body.js';
import { spawnLines } from '../lib/spawn-lines.js';

export const SECTOR = 512;

export function flsArgv(image: string, offsetBytes: number, mountPoint = '/'): string[] {
  return ['fls', '-r', '-m', mountPoint, '-o', String(offsetBytes / SECTOR), image];
}

/** One fls body line (raw bytes) as a record with an escaped name, or undefined. */
export function flsRecord(line: Buffer): BodyRecord | undefined {
  // latin1 keeps one character per byte, so the name's bytes come back exactly.
  const rec = parseBodyLine(line.toString('latin1'));
  if (!rec) return undefined;
  return { ...rec, name: escapeName(Buffer.from(rec.name, 'latin1')) };
}

export function isDeleted(rec: BodyRecord): boolean {
  return / \(deleted(-realloc)?\)$/.test(rec.name) || rec.name.includes('/$OrphanFiles/');
}

export async function runFls(
  image: string,
  offsetBytes: number,
  mountPoint: string,
  onRecord: (r: BodyRecord) => void,
): Promise<{ records: number; deleted: number; malformed: number; error?: string }> {
  if (offsetBytes % SECTOR !== 0) throw new Error(`offset ${offsetBytes} is not a multiple of ${SECTOR}`);
  let records = 0;
  let deleted = 0;
  let malformed = 0;
  const res = await spawnLines(flsArgv(image, offsetBytes, mountPoint), (line) => {
    if (!line.length) return;
    const rec = flsRecord(line);
    if (!rec) {
      malformed++;
      return;
    }
    records++;
    if (isDeleted(rec)) deleted++;
    onRecord(rec);
  });
  const error = res.code !== 0 ? res.stderr.trim().split('\n')[0] || `fls exited with ${res.code}` : undefined;
  return { records, deleted, malformed: malformed + res.longLines, error };
}
