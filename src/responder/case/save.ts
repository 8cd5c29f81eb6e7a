// SPDX-License-Identifier: GPL-3.0-or-later
// Default outputs into the open case folder: a command's JSON report saved there (new file,
// fsynced) and recorded for the journal.
import path from 'node:path';
import { createExclusive } from '../lib/durable.js';
import { recordOutput } from './outputs.js';
import { activeCase, stampedName } from './state.js';

/** Save DATA as CASE/PREFIX-<UTC>.json when a case is open; returns the path (or undefined). */
export async function saveJsonToCase(prefix: string, data: unknown): Promise<string | undefined> {
  const c = activeCase();
  if (!c) return undefined;
  const file = path.join(c.dir, stampedName(prefix, 'json'));
  await createExclusive(file, JSON.stringify(data, null, 2) + '\n');
  recordOutput(file);
  process.stderr.write(`saved in the case: ${file}\n`);
  return file;
}

/** A file name from a label a responder typed (evidence id) or a device name: no slashes, no control bytes. */
export function safeFileName(label: string): string {
  const s = label.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '_');
  return s.slice(0, 100) || 'image';
}
