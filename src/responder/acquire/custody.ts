// SPDX-License-Identifier: GPL-3.0-or-later
// The chain-of-custody record: PATH.custody.json for tools, PATH.custody.txt for people (and for
// printing and signing). Everything a court or a CERT would ask about the copy. Written durably:
// see CustodyLog.
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import { createExclusive, replaceAtomically } from '../lib/durable.js';
import { humanBytes } from '../lib/output.js';
import { VERSION } from '../lib/version.js';
import type { BadRange } from './reader.js';
import type { Piece } from './sinks.js';
import { LIVE_MEDIUM, cachedMedium, readImageJson } from '../medium/medium.js';

export interface LiveImageInfo {
  /** One line: the medium it booted from, "not running from a forensic-live medium", or why the medium could not be read. */
  status: string;
  profile?: string;
  /** The build id on the medium (or, if the medium could not be read, the running system's). */
  buildId?: string;
  /** The sha256 of the ISO on the medium, as in the build's SHA256SUMS (read from the medium at run time). */
  isoSha256?: string;
  isoBytes?: number;
  /** The disk or CD the ISO was read from. */
  medium?: string;
}

export interface Custody {
  tool: { name: 'responder'; version: string; node: string };
  command: string[];
  started: string;
  finished: string;
  host: { hostname: string; kernel: string };
  liveImage: LiveImageInfo;
  case: { case?: string; evidence?: string; examiner?: string; notes?: string };
  source: { path: string; kind: string; size: number; sectorSize: number; devno?: string; model?: string; serial?: string; readOnly?: boolean };
  destination: { kind: string; path?: string; url?: string; split?: number; format?: 'ewf'; compression?: string };
  bytesRead: number;
  bytesWritten: number;
  readErrors: BadRange[];
  zeroFilledBytes: number;
  hashes: Record<string, string>;
  pieces: Piece[];
  verification: { status: 'verified' | 'mismatch' | 'not possible'; detail: string; hashes?: Record<string, string> };
  /** "in progress" is what a log says while the copy runs, and still says if the machine lost power. */
  result: 'in progress' | 'ok' | 'read errors' | 'incomplete' | 'verification failed' | 'interrupted' | 'failed';
  error?: string;
}

export const NOT_LIVE = 'not running from a forensic-live medium';

/** The live image this runs on: its build and the sha256 of its medium's ISO (cached per boot), or NOT_LIVE. */
export async function liveImageInfo(): Promise<LiveImageInfo> {
  const image = await readImageJson();
  if (!image) return { status: NOT_LIVE }; // an analyst's workstation
  try {
    const m = await cachedMedium();
    if (!m) return { status: `forensic-live image, but no medium is mounted at ${LIVE_MEDIUM}`, profile: image.profile, buildId: image.buildId };
    const mismatch = image.buildId && m.buildId && image.buildId !== m.buildId ? ` (WARNING: the running system says build ${image.buildId})` : '';
    return { status: `booted from ${m.device}${mismatch}`, profile: image.profile, buildId: m.buildId ?? image.buildId, isoSha256: m.sha256, isoBytes: m.isoBytes, medium: m.device };
  } catch (err) {
    return { status: `forensic-live image, but its medium could not be read: ${(err as Error).message}`, profile: image.profile, buildId: image.buildId };
  }
}

/** What the caller knows before the copy; the rest of a new record says nothing happened yet. */
export type CustodyStart = Pick<Custody, 'command' | 'started' | 'liveImage' | 'case' | 'source' | 'destination'> & Partial<Pick<Custody, 'tool' | 'host'>>;

/** A record before the first byte is copied: nothing read, written or hashed, result "failed" until the copy says otherwise. */
export function newCustody(start: CustodyStart): Custody {
  return {
    tool: start.tool ?? { name: 'responder', version: VERSION, node: process.version },
    command: start.command,
    started: start.started,
    finished: '',
    host: start.host ?? hostInfo(),
    liveImage: start.liveImage,
    case: start.case,
    source: start.source,
    destination: start.destination,
    bytesRead: 0,
    bytesWritten: 0,
    readErrors: [],
    zeroFilledBytes: 0,
    hashes: {},
    pieces: [],
    verification: { status: 'not possible', detail: '' },
    result: 'failed',
  };
}

export function hostInfo(): Custody['host'] {
  return { hostname: os.hostname(), kernel: `${os.type()} ${os.release()}` };
}

export function custodyText(c: Custody): string {
  const L: string[] = [];
  const kv = (k: string, v: string | number | undefined) => v !== undefined && v !== '' && L.push(`${(k + ':').padEnd(22)}${v}`);
  L.push('CHAIN OF CUSTODY: disk acquisition', '='.repeat(34), '');
  kv('Result', c.result.toUpperCase() + (c.error ? ` (${c.error})` : ''));
  kv('Case', c.case.case);
  kv('Evidence', c.case.evidence);
  kv('Examiner', c.case.examiner);
  kv('Notes', c.case.notes);
  L.push('');
  kv('Tool', `${c.tool.name} ${c.tool.version} (Node.js ${c.tool.node})`);
  kv('Command', c.command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : JSON.stringify(a))).join(' '));
  kv('Host', `${c.host.hostname}, ${c.host.kernel}`);
  const li = c.liveImage;
  kv(
    'Live image',
    li.buildId || li.isoSha256 ? `${li.profile ?? '?'} build ${li.buildId ?? '?'}, ISO sha256 ${li.isoSha256 ?? 'unknown'}${li.isoBytes ? ` (${li.isoBytes} bytes)` : ''}; ${li.status}` : li.status,
  );
  kv('Started (UTC)', c.started);
  kv('Finished (UTC)', c.finished);
  L.push('', 'Source');
  kv('  Path', c.source.path);
  kv('  Kind', c.source.kind + (c.source.devno ? ` ${c.source.devno}` : ''));
  kv('  Model', c.source.model);
  kv('  Serial', c.source.serial);
  kv('  Size', `${c.source.size} bytes (${humanBytes(c.source.size)})`);
  kv('  Sector size', c.source.sectorSize);
  if (c.source.readOnly !== undefined) kv('  Read-only flag', c.source.readOnly ? 'set' : 'NOT set');
  L.push('', 'Destination');
  kv('  Kind', c.destination.kind);
  kv('  Path', c.destination.path ?? c.destination.url);
  if (c.destination.format) kv('  Format', `${c.destination.format.toUpperCase()} (E01), compression ${c.destination.compression}`);
  if (c.destination.split) kv('  Split', `${c.destination.split} bytes per piece`);
  L.push('');
  kv('Bytes read', c.bytesRead);
  kv('Bytes written', c.bytesWritten);
  kv('Read errors', c.readErrors.length ? `${c.readErrors.length} range(s), ${c.zeroFilledBytes} bytes zero-filled` : 'none');
  for (const r of c.readErrors) L.push(`    offset ${r.offset} (sector ${Math.floor(r.offset / c.source.sectorSize)}), ${r.length} bytes: ${r.error}`);
  L.push('', c.destination.format ? 'Hashes of the acquired data (also stored inside the E01)' : 'Hashes of the image');
  for (const [k, v] of Object.entries(c.hashes)) kv(`  ${k}`, v);
  if (c.pieces.length > 1 || c.destination.format) {
    L.push('', c.destination.format ? 'Segment files (hashes of the files themselves)' : 'Pieces');
    for (const p of c.pieces) {
      L.push(`  ${p.path} (${p.bytes} bytes)`);
      for (const [k, v] of Object.entries(p.hashes)) L.push(`      ${k.padEnd(8)}${v}`);
    }
  }
  L.push('');
  kv('Verification', `${c.verification.status}: ${c.verification.detail}`);
  L.push('', '', 'Examiner signature: ______________________   Date: ____________', '');
  return L.join('\n');
}

/**
 * The custody log of one acquisition, on the medium from its first second: BASE.custody.json is
 * created exclusively (a second acquisition with the same --log refuses instead of overwriting
 * it), says "in progress" and is fsynced before the first byte is copied; the final record
 * replaces it by an atomic rename. A power cut leaves "in progress", an interrupt "interrupted".
 */
export class CustodyLog {
  private constructor(
    readonly json: string,
    readonly txt: string,
  ) {}

  static async begin(base: string, c: Custody): Promise<CustodyLog> {
    const log = new CustodyLog(`${base}.custody.json`, `${base}.custody.txt`);
    const record = { ...c, result: 'in progress' as const };
    await createExclusive(log.json, JSON.stringify(record, null, 2) + '\n');
    try {
      await createExclusive(log.txt, custodyText(record));
    } catch (err) {
      await fsp.unlink(log.json).catch(() => undefined); // ours, seconds old, says nothing yet
      throw err;
    }
    return log;
  }

  async finish(c: Custody): Promise<void> {
    await replaceAtomically(this.json, JSON.stringify(c, null, 2) + '\n');
    await replaceAtomically(this.txt, custodyText(c));
  }
}
