// SPDX-License-Identifier: GPL-3.0-or-later
// Read a custody log (`*.custody.json`, written by `responder acquire`) defensively. The file sits
// in a case folder that may hold anything, so every field is optional, may have an unexpected
// type, and is read under a few plausible names; nothing here throws on odd content.

export interface Hash {
  algorithm: string;
  value: string;
}

export interface Custody {
  file: string;
  tool?: string;
  version?: string;
  commandLine?: string;
  start?: string;
  end?: string;
  image?: string;
  source: { path?: string; model?: string; serial?: string; size?: number; sectorSize?: number };
  bytesRead?: number;
  bytesWritten?: number;
  hashes: Hash[];
  pieces: { name: string; size?: number; hashes: Hash[] }[];
  readErrors: number;
  readErrorDetail: string[];
  verified?: boolean;
  case?: string;
  evidence?: string;
  examiner?: string;
  notes?: string;
  liveImageSha256?: string;
}

type Obj = Record<string, unknown>;
const MAX_TEXT = 2000;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at the first path that exists ("a.b" walks into objects). */
function pick(o: unknown, ...paths: string[]): unknown {
  for (const p of paths) {
    let cur: unknown = o;
    for (const k of p.split('.')) cur = isObj(cur) ? cur[k] : undefined;
    if (cur !== undefined && cur !== null) return cur;
  }
  return undefined;
}

export function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.length > MAX_TEXT ? v.slice(0, MAX_TEXT) + '…' : v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return undefined;
}

export function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/** {sha256: "…"} or [{algorithm|name|alg, value|hex|digest}], possibly wrapped in {total: …}. */
export function hashesOf(v: unknown): Hash[] {
  if (isObj(v) && isObj(v.total)) v = v.total;
  const out: Hash[] = [];
  if (Array.isArray(v)) {
    for (const h of v.slice(0, 32)) {
      const algorithm = text(pick(h, 'algorithm', 'name', 'alg', 'type'));
      const value = text(pick(h, 'value', 'hex', 'digest', 'hash'));
      if (algorithm && value) out.push({ algorithm, value });
    }
  } else if (isObj(v)) {
    for (const [k, val] of Object.entries(v).slice(0, 32)) {
      const value = text(val);
      if (value && k !== 'pieces') out.push({ algorithm: k, value });
    }
  }
  return out;
}

function commandLine(v: unknown): string | undefined {
  if (Array.isArray(v))
    return v
      .slice(0, 200)
      .map((a) => {
        const s = text(a) ?? '';
        return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
      })
      .join(' ');
  return text(v);
}

function verifiedOf(o: unknown): boolean | undefined {
  // responder acquire writes verification.status: 'verified' | 'mismatch' | 'not possible'.
  const v = pick(o, 'verified', 'verification.status', 'verification.ok', 'verification.verified', 'verification.passed', 'verify.ok', 'verification');
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (/^(ok|pass(ed)?|verified|match(ed)?|true|yes)$/i.test(v)) return true;
    if (/^(fail(ed)?|mismatch|false|no|not possible)$/i.test(v)) return false;
  }
  return undefined;
}

export function normalizeCustody(file: string, o: unknown): Custody {
  const toolV = pick(o, 'tool');
  const src = pick(o, 'source');
  const errs = pick(o, 'readErrors', 'read_errors', 'errors');
  const errList = Array.isArray(errs) ? errs : [];
  const piecesRaw = pick(o, 'pieces', 'parts', 'segments', 'hashes.pieces');
  return {
    file,
    tool: isObj(toolV) ? text(toolV.name) : text(toolV),
    version: text(pick(o, 'tool.version', 'version', 'toolVersion')),
    commandLine: commandLine(pick(o, 'commandLine', 'command_line', 'argv', 'command')),
    start: text(pick(o, 'start', 'startedAt', 'started', 'startUtc', 'times.start')),
    end: text(pick(o, 'end', 'endedAt', 'finishedAt', 'ended', 'endUtc', 'times.end')),
    image: text(pick(o, 'destination.path', 'destination.url', 'out', 'image', 'output', 'destination', 'target')),
    source: {
      path: isObj(src) ? text(pick(src, 'path', 'device', 'file')) : text(src),
      model: text(pick(src, 'model')),
      serial: text(pick(src, 'serial')),
      size: num(pick(src, 'size', 'bytes', 'sizeBytes')),
      sectorSize: num(pick(src, 'sectorSize', 'sector_size', 'logicalSectorSize')) ?? num(pick(o, 'sectorSize')),
    },
    bytesRead: num(pick(o, 'bytesRead', 'bytes_read', 'bytes.read')),
    bytesWritten: num(pick(o, 'bytesWritten', 'bytes_written', 'bytes.written')),
    hashes: hashesOf(pick(o, 'hashes', 'hash', 'digests')),
    pieces: (Array.isArray(piecesRaw) ? piecesRaw : []).slice(0, 10_000).map((p, i) => ({
      name: text(pick(p, 'path', 'file', 'name')) ?? `piece ${i + 1}`,
      size: num(pick(p, 'size', 'bytes')),
      hashes: hashesOf(pick(p, 'hashes', 'hash', 'digests')),
    })),
    readErrors: Array.isArray(errs) ? errs.length : (num(errs) ?? num(pick(o, 'readErrorCount')) ?? 0),
    readErrorDetail: errList.slice(0, 20).map((e) =>
      isObj(e)
        ? Object.entries(e)
            .slice(0, 6)
            .map(([k, v]) => `${k}=${text(v) ?? '?'}`)
            .join(' ')
        : (text(e) ?? '?'),
    ),
    verified: verifiedOf(o),
    // responder acquire nests these under `case`: {case, evidence, examiner, notes}.
    case: text(pick(o, 'case.case', 'case', 'caseId', 'case_id', 'metadata.case')),
    evidence: text(pick(o, 'case.evidence', 'evidence', 'evidenceId', 'evidence_id', 'metadata.evidence')),
    examiner: text(pick(o, 'case.examiner', 'examiner', 'metadata.examiner')),
    notes: text(pick(o, 'case.notes', 'notes', 'metadata.notes')),
    liveImageSha256: text(pick(o, 'liveImage.isoSha256', 'liveImageSha256', 'liveImage.sha256', 'isoSha256', 'image.isoSha256')),
  };
}
