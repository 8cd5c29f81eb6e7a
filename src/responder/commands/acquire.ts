// SPDX-License-Identifier: GPL-3.0-or-later
// `responder acquire`: image a device or file in one streaming pass with every requested hash,
// to local file(s), stdout, a TCP listener or over ssh; verify what was written; write the
// chain-of-custody log. Exit 0 only when the image is complete, error-free and verified.
import path from 'node:path';
import type { Command } from '../cli/command.js';
import { parse } from '../cli/args.js';
import type { FileHandle } from 'node:fs/promises';
import { ResponderError, UsageError, describeSystemError } from '../lib/errors.js';
import { Interrupted, trapSignals } from '../lib/interrupt.js';
import { humanBytes, printJson, printJsonTo } from '../lib/output.js';
import { Progress } from '../lib/progress.js';
import { VERSION } from '../lib/version.js';
import { recordOutput } from '../case/outputs.js';
import { safeFileName } from '../case/save.js';
import { activeCase, activeCaseIfThere } from '../case/state.js';
import { copyPass, verifyPieces } from '../acquire/engine.js';
import { checkTargetFs } from '../acquire/fs-limits.js';
import { checkOutputNotOnSource } from '../acquire/guard.js';
import { CustodyLog, liveImageInfo, newCustody, type Custody } from '../acquire/custody.js';
import { SIZE_CONVENTION, parseDestination, parseHashes, parseSize, type Destination, type HashName } from '../acquire/options.js';
import { FileSink, PARTIAL, pieceName, publishPieces, sshSink, stdoutSink, tcpSink, type Sink } from '../acquire/sinks.js';
import { openSource, type SourceInfo } from '../acquire/source.js';
import { checkEwfSource, ewfAlgorithms, ewfBase, ewfOutputs, ewfSink, parseCompression, verifyAndPublish } from '../acquire/ewf/plan.js';
import type { CompressionLevel } from '../acquire/ewf/format.js';

const HELP = `Usage: responder acquire SOURCE --out PATH [options]
       responder acquire SOURCE [options]                              (a case is open: into it)
       responder acquire SOURCE --out - [--log BASE] [options]        (image on stdout)
       responder acquire SOURCE --to ssh://USER@HOST[:PORT]/PATH [--log BASE] [options]
       responder acquire SOURCE --to tcp://HOST:PORT [--log BASE] [options]

Copies SOURCE (a disk, a partition or an image file) bit for bit in one streaming pass, computing
every requested hash on the way. SOURCE is opened read-only; the output is never the source, never
on the source (not on another partition of the same disk, not inside a mount of the source image)
and never an existing file.

Options:
  --out PATH        write the image to PATH (new file), or to stdout with "-"; with a case open
                    (responder case open) and neither --out nor --to: CASE/<evidence id>.raw
  --to URL          send the image to another host:
                      ssh://user@host/srv/case/sda.raw  runs: ssh user@host "cat > '/srv/case/sda.raw'"
                        (the path is single-quoted for the remote shell; /~/name means ~/name)
                      tcp://host:port  connects and sends the raw bytes (receiver: nc -l PORT > sda.raw)
  --split SIZE      write PATH.001, PATH.002, ... of SIZE each (e.g. 2G, 650M), hashed one by one;
                    refused if the target file system cannot hold it (FAT32: 4 GiB - 1 byte)
                    (with --format ewf: segments NAME.E01, NAME.E02, ... of at most SIZE each)
  --format FORMAT   raw (default) or ewf: an E01 segment set (EnCase 6 layout) with the case
                    metadata, the disk's model and serial, MD5 and SHA-1 and the unreadable
                    sectors stored inside it; --out NAME or NAME.E01 gives NAME.E01, NAME.E02, ...
  --compress LEVEL  for ewf: none (all-zero chunks only), fast (default) or best
  --hash LIST       comma-separated: md5, sha1, sha256, sha512 (default sha256)
  --case ID --evidence ID --examiner NAME --notes TEXT
                    recorded in the custody log (default: from the open case)
  --log BASE        where the custody log goes (BASE.custody.json and BASE.custody.txt); default:
                    PATH for --out PATH, else acquire-<UTC time> in the case folder (or here).
                    Created when the copy starts (saying "in progress"); an existing log is
                    never overwritten: a second acquisition with the same --log refuses
  --json            print the custody record as JSON when done (to stderr with --out -: stdout
                    then carries only the image)

${SIZE_CONVENTION[0]!.toUpperCase()}${SIZE_CONVENTION.slice(1)}.

Nothing is left half-written: the image is written as PATH.partial (PATH.NNN.partial) and renamed
to PATH only once complete and read back; every file is fsynced before success is reported.
Ctrl-C or SIGTERM stops the copy, and the custody log then says "interrupted" (exit 130 / 143).
Progress (bytes of total, rate, ETA, read errors) goes to stderr: a bar on a terminal, otherwise a
plain line every 30 s.

Unreadable sectors are retried 3 times one sector at a time, then written as zeros and listed
with their offsets in the custody log. A local image is read back afterwards and its hashes
compared; a remote or stdout image cannot be read back: compare the hashes on the receiving side.

Exit codes: 0 complete and verified (or, remote/stdout, complete with no read errors);
1 failure, verification mismatch or incomplete source; 2 usage error;
3 complete but with zero-filled unreadable sectors.`;

const OPTIONS = {
  out: { type: 'string' },
  to: { type: 'string' },
  split: { type: 'string' },
  hash: { type: 'string' },
  case: { type: 'string' },
  evidence: { type: 'string' },
  examiner: { type: 'string' },
  notes: { type: 'string' },
  log: { type: 'string' },
  format: { type: 'string' },
  compress: { type: 'string' },
} as const;

function utcStamp(d: Date): string {
  return d
    .toISOString()
    .replace(/[:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export const acquireCommand: Command = {
  name: 'acquire',
  summary: 'image a disk or file in one pass with hashes, verify it, write a custody log',
  help: HELP,
  async run(argv) {
    const parsed = parse('acquire', argv, OPTIONS);
    const positionals = parsed.positionals;
    // parse() is typed for any option set; these are all strings (plus --json), by OPTIONS above.
    const values = { ...parsed.values } as { -readonly [K in keyof typeof OPTIONS]?: string } & { json?: boolean };
    if (positionals.length !== 1) throw new UsageError(positionals.length ? 'give exactly one SOURCE' : 'missing SOURCE', 'see: responder acquire --help');
    // Explicit paths win: an open case whose folder is gone only matters when it is the target.
    const open = values.out || values.to ? activeCaseIfThere() : activeCase();
    if (values.out && values.to) throw new UsageError('give only one of --out PATH and --to URL', 'see: responder acquire --help');
    if (!values.out && !values.to) {
      // With a case open the image goes into the case folder, named after the evidence id.
      if (!open) throw new UsageError('give --out PATH or --to URL (or open a case: responder case open)', 'see: responder acquire --help');
      const label = values.evidence ?? (open.evidence.length === 1 ? open.evidence[0]! : path.basename(positionals[0] ?? 'image'));
      values.out = path.join(open.dir, `${safeFileName(label)}.raw`);
    }
    if (open) {
      values.case ??= open.case;
      values.examiner ??= open.examiner;
      if (open.evidence.length === 1) values.evidence ??= open.evidence[0];
    }
    const format = values.format ?? 'raw';
    if (format !== 'raw' && format !== 'ewf') throw new UsageError(`--format: unknown format "${format}"`, 'choose raw or ewf');
    const ewf = format === 'ewf';
    if (!ewf && values.compress !== undefined) throw new UsageError('--compress works with --format ewf only');
    const compression = parseCompression(values.compress);
    const algorithms = ewf ? ewfAlgorithms(parseHashes(values.hash)) : parseHashes(values.hash);
    const split = values.split !== undefined ? parseSize(values.split, '--split') : undefined;
    if (split !== undefined && split % 512 !== 0) throw new UsageError('--split: the piece size must be a multiple of 512 bytes');
    const dest: Destination = values.to ? parseDestination(values.to) : values.out === '-' ? { kind: 'stdout' } : { kind: 'file', path: path.resolve(values.out!) };
    if (split !== undefined && dest.kind !== 'file') throw new UsageError('--split works with --out PATH only');
    if (ewf && dest.kind !== 'file') throw new UsageError('--format ewf writes segment files: it works with --out PATH only');
    const base = ewf && dest.kind === 'file' ? ewfBase(dest.path) : undefined;
    if (base && dest.kind === 'file') dest.path = `${base}.E01`;
    if (dest.kind === 'stdout' && process.stdout.isTTY) throw new UsageError('refusing to write a disk image to a terminal', 'redirect it: responder acquire SOURCE --out - > FILE, or | ssh ...');
    const started = new Date();
    const logBase = values.log ? path.resolve(values.log) : dest.kind === 'file' ? dest.path : path.resolve(open?.dir ?? '.', `acquire-${utcStamp(started)}`);

    const { fd, info } = await openSource(positionals[0]!);
    try {
      const logFiles = [`${logBase}.custody.json`, `${logBase}.custody.txt`];
      if (base) {
        checkEwfSource(info, split);
        checkOutputNotOnSource(info, [...ewfOutputs(base, info.size, split), ...logFiles]);
        if (split !== undefined) await checkTargetFs(path.dirname(base), info.size, split);
      } else if (dest.kind === 'file') {
        const n = split ? Math.max(1, Math.ceil(info.size / split)) : 1;
        const outs = split ? Array.from({ length: n }, (_, i) => pieceName(dest.path, i)) : [dest.path];
        checkOutputNotOnSource(info, [...outs, ...outs.map((o) => o + PARTIAL), ...logFiles]);
        await checkTargetFs(path.dirname(dest.path), info.size, split);
      } else {
        checkOutputNotOnSource(info, logFiles);
      }

      // Before the copy: on a live system this may read the medium once (then cached for the boot).
      const liveImage = await liveImageInfo();
      const custody = newCustody({
        command: ['responder', 'acquire', ...argv],
        started: started.toISOString(),
        liveImage,
        case: { case: values.case, evidence: values.evidence, examiner: values.examiner, notes: values.notes },
        source: { path: info.path, kind: info.kind, size: info.size, sectorSize: info.sectorSize, devno: info.devno, model: info.model, serial: info.serial, readOnly: info.readOnly },
        destination: { kind: dest.kind, path: dest.kind === 'file' ? dest.path : undefined, url: 'url' in dest ? dest.url : undefined, split, ...(ewf ? { format: 'ewf', compression } : {}) },
      });
      // The log exists, says "in progress" and is on the medium before the first byte is copied.
      const log = await CustodyLog.begin(logBase, custody);
      const trap = trapSignals();
      try {
        return await copyAndRecord({ fd, info, dest, split, algorithms, custody, log, signal: trap.signal, json: Boolean(values.json), ewf: base ? { base, compression } : undefined });
      } finally {
        trap.release();
      }
    } finally {
      await fd.close().catch(() => undefined);
    }
  },
};

interface Job {
  fd: FileHandle;
  info: SourceInfo;
  dest: Destination;
  split?: number;
  algorithms: HashName[];
  custody: Custody;
  log: CustodyLog;
  signal: AbortSignal;
  json: boolean;
  /** --format ewf: the segment set's base name (NAME for NAME.E01) and its compression. */
  ewf?: { base: string; compression: CompressionLevel };
}

async function copyAndRecord(job: Job): Promise<number> {
  const { fd, info, dest, algorithms, custody, log, signal } = job;
  const say = (s: string) => process.stderr.write(s + '\n');
  const fail = async (err: unknown, what: string): Promise<never> => {
    custody.finished = new Date().toISOString();
    custody.result = err instanceof Interrupted ? 'interrupted' : 'failed';
    custody.error = (err instanceof Error ? err.message : String(err)) + what;
    await log.finish(custody).catch(() => undefined);
    recordOutput(log.json);
    recordOutput(log.txt);
    throw err instanceof ResponderError || err instanceof UsageError ? err : describeSystemError(err, info.path);
  };
  const local = dest.kind === 'file';
  const partialNote = local ? `; the unfinished image stays under ${path.basename(dest.path)}${job.split ? '.NNN' : ''}${PARTIAL} and is not evidence` : '';

  let pass;
  try {
    let sink: Sink;
    if (job.ewf) sink = ewfSink(job.ewf.base, job.split, info, job.ewf.compression, custody, `responder ${VERSION}`);
    else if (dest.kind === 'file') sink = new FileSink(dest.path, job.split, algorithms);
    else if (dest.kind === 'stdout') sink = stdoutSink();
    else if (dest.kind === 'tcp') sink = await tcpSink(dest.host, dest.port);
    else sink = sshSink(dest);
    if (local) say(`step 1 of 2: copying ${info.path} to ${dest.path}${job.split ? '.NNN' : ''}${PARTIAL} until verified`);
    pass = await copyPass({
      read: (b, o, l, p) => fd.read(b, o, l, p),
      size: info.size,
      sectorSize: info.sectorSize,
      algorithms,
      sink,
      signal,
      progress: new Progress(local ? 'copy' : `acquire ${path.basename(info.path)}`, info.size),
    });
  } catch (err) {
    return fail(err, partialNote);
  }
  if (dest.kind === 'file' && !job.split && !job.ewf && pass.pieces[0]) pass.pieces[0].hashes = pass.hashes;
  Object.assign(custody, {
    bytesRead: pass.bytesRead,
    bytesWritten: pass.bytesWritten,
    readErrors: pass.reader.badRanges,
    zeroFilledBytes: pass.reader.zeroFilled,
    hashes: pass.hashes,
    pieces: pass.pieces,
  });

  if (job.ewf) {
    say(`step 2 of 2: reading the E01 set back (every chunk decoded, hashes compared) before naming it`);
    try {
      custody.verification = await verifyAndPublish(pass.pieces, algorithms, pass.hashes, pass.bytesRead, new Progress('read-back', pass.bytesRead));
    } catch (err) {
      return fail(err, partialNote);
    }
  } else if (local) {
    say(`step 2 of 2: reading the image back to verify it`);
    let v;
    try {
      v = await verifyPieces(pass.pieces, algorithms, new Progress('read-back', pass.bytesWritten), signal);
    } catch (err) {
      return fail(err, partialNote);
    }
    const bad = pass.pieces.filter((p, i) => JSON.stringify(p.hashes) !== JSON.stringify(v.pieces[i]));
    const ok = !bad.length && v.bytes === pass.bytesWritten && JSON.stringify(v.total) === JSON.stringify(pass.hashes);
    custody.verification = ok
      ? { status: 'verified', detail: `re-read ${v.bytes} bytes from ${pass.pieces.length} file(s); every hash matches`, hashes: v.total }
      : { status: 'mismatch', detail: `re-read ${v.bytes} of ${pass.bytesWritten} bytes; differing: ${bad.map((p) => p.path).join(', ') || 'total'}`, hashes: v.total };
  } else {
    custody.verification = { status: 'not possible', detail: `the image went to ${dest.kind === 'stdout' ? 'stdout' : dest.url}; compare its hashes on the receiving side with the ones above` };
  }
  custody.result = pass.bytesRead < info.size ? 'incomplete' : custody.verification.status === 'mismatch' ? 'verification failed' : pass.reader.badRanges.length ? 'read errors' : 'ok';
  if (custody.result === 'incomplete') custody.error = `the source ended after ${pass.bytesRead} of ${info.size} bytes`;
  // Only a complete, verified image gets its final name (zero-filled sectors are listed in the log).
  if (!job.ewf && (custody.result === 'ok' || custody.result === 'read errors')) {
    try {
      await publishPieces(pass.pieces);
    } catch (err) {
      return fail(err, '');
    }
  } else if (local) custody.error = (custody.error ?? custody.result) + partialNote;
  custody.finished = new Date().toISOString();
  await log.finish(custody);
  for (const p of pass.pieces) if (!p.path.endsWith(PARTIAL)) recordOutput(p.path, p.hashes.sha256);
  recordOutput(log.json);
  recordOutput(log.txt);

  // stdout carries the image with --out -: the JSON record then goes to stderr.
  if (job.json) (dest.kind === 'stdout' ? printJsonTo(process.stderr) : printJson)(custody);
  else {
    say(`acquired ${humanBytes(pass.bytesRead)} from ${info.path}: ${custody.result}`);
    for (const [k, h] of Object.entries(pass.hashes)) say(`  ${k.padEnd(7)} ${h}`);
    if (pass.reader.badRanges.length) say(`  ${pass.reader.zeroFilled} bytes in ${pass.reader.badRanges.length} range(s) could not be read and are zeros in the image`);
    say(`  verification: ${custody.verification.status}`);
    if (local) say(`  image: ${pass.pieces.map((p) => p.path).join(', ')}`);
    say(`  custody log: ${log.txt}`);
  }
  if (custody.result === 'ok') return 0;
  if (custody.result === 'read errors') return 3;
  throw new ResponderError(`acquisition ${custody.result}${custody.error ? `: ${custody.error}` : ''} (see ${log.txt})`);
}
