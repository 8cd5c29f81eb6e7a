// SPDX-License-Identifier: GPL-3.0-or-later
// `responder acquire`: image a device or file in one streaming pass with every requested hash,
// to local file(s), stdout, a TCP listener or over ssh; verify what was written; write the
// chain-of-custody log. Exit 0 only when the image is complete, error-free and verified.
import { terminalSafe } from '../evidence/escape.js';
import path from 'node:path';
import type { Command } from '../cli/command.js';
import { parse } from '../cli/args.js';
import { ResponderError, UsageError, describeSystemError } from '../lib/errors.js';
import { Progress, humanBytes, printJson } from '../lib/output.js';
import { VERSION } from '../lib/version.js';
import { copyPass, verifyPieces } from '../acquire/engine.js';
import { checkOutputNotOnSource } from '../acquire/guard.js';
import { hostInfo, liveImageInfo, writeCustody, type Custody } from '../acquire/custody.js';
import { parseDestination, parseHashes, parseSize, type Destination } from '../acquire/options.js';
import { FileSink, pieceName, sshSink, stdoutSink, tcpSink, type Sink } from '../acquire/sinks.js';
import { openSource } from '../acquire/source.js';
import { checkEwfSource, ewfAlgorithms, ewfBase, ewfOutputs, ewfSink, parseCompression, verifyAndPublish } from '../acquire/ewf/plan.js';

const HELP = `Usage: responder acquire SOURCE --out PATH [options]
       responder acquire SOURCE --out - [--log BASE] [options]        (image on stdout)
       responder acquire SOURCE --to ssh://USER@HOST[:PORT]/PATH [--log BASE] [options]
       responder acquire SOURCE --to tcp://HOST:PORT [--log BASE] [options]

Copies SOURCE (a disk, a partition or an image file) bit for bit in one streaming pass, computing
every requested hash on the way. SOURCE is opened read-only; the output is never the source, never
on the source (not on another partition of the same disk, not inside a mount of the source image)
and never an existing file.

Options:
  --out PATH        write the image to PATH (new file), or to stdout with "-"
  --to URL          send the image to another host:
                      ssh://user@host/srv/case/sda.raw  runs: ssh user@host "cat > '/srv/case/sda.raw'"
                        (the path is single-quoted for the remote shell; /~/name means ~/name)
                      tcp://host:port  connects and sends the raw bytes (receiver: nc -l PORT > sda.raw)
  --split SIZE      write PATH.001, PATH.002, ... of SIZE each (e.g. 2G, 650M), hashed one by one
                    (with --format ewf: segments NAME.E01, NAME.E02, ... of at most SIZE each)
  --format FORMAT   raw (default) or ewf: an E01 segment set (EnCase 6 layout) with the case
                    metadata, the disk's model and serial, MD5 and SHA-1 and the unreadable
                    sectors stored inside it; --out NAME or NAME.E01 gives NAME.E01, NAME.E02, ...
  --compress LEVEL  for ewf: none (all-zero chunks only), fast (default) or best
  --hash LIST       comma-separated: md5, sha1, sha256, sha512 (default sha256)
  --case ID --evidence ID --examiner NAME --notes TEXT
                    recorded in the custody log
  --log BASE        where the custody log goes (BASE.custody.json and BASE.custody.txt); default:
                    PATH for --out PATH, else ./acquire-<UTC time> in the current folder
  --json            print the custody record as JSON when done

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
  return d.toISOString().replace(/[:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export const acquireCommand: Command = {
  name: 'acquire',
  summary: 'image a disk or file in one pass with hashes, verify it, write a custody log',
  help: HELP,
  async run(argv) {
    const parsed = parse('acquire', argv, OPTIONS);
    const positionals = parsed.positionals;
    // parse() is typed for any option set; these are all strings (plus --json), by OPTIONS above.
    const values = parsed.values as { [K in keyof typeof OPTIONS]?: string } & { json?: boolean };
    if (positionals.length !== 1) throw new UsageError(positionals.length ? 'give exactly one SOURCE' : 'missing SOURCE', 'see: responder acquire --help');
    if (!values.out === !values.to) throw new UsageError('give exactly one of --out PATH and --to URL', 'see: responder acquire --help');
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
    const logBase = values.log ? path.resolve(values.log) : dest.kind === 'file' ? dest.path : path.resolve(`acquire-${utcStamp(started)}`);

    const { fd, info } = await openSource(positionals[0]!);
    try {
      if (base) {
        checkEwfSource(info, split);
        checkOutputNotOnSource(info, [...ewfOutputs(base, info.size, split), `${logBase}.custody.json`, `${logBase}.custody.txt`]);
      } else if (dest.kind === 'file') {
        const n = split ? Math.max(1, Math.ceil(info.size / split)) : 1;
        const outs = split ? Array.from({ length: n }, (_, i) => pieceName(dest.path, i)) : [dest.path];
        checkOutputNotOnSource(info, [...outs, `${logBase}.custody.json`, `${logBase}.custody.txt`]);
      } else {
        checkOutputNotOnSource(info, [`${logBase}.custody.json`, `${logBase}.custody.txt`]);
      }
      let sink: Sink | undefined;
      if (base) sink = undefined; // made below, from the custody record's case data
      else if (dest.kind === 'file') sink = new FileSink(dest.path, split, algorithms);
      else if (dest.kind === 'stdout') sink = stdoutSink();
      else if (dest.kind === 'tcp') sink = await tcpSink(dest.host, dest.port);
      else sink = sshSink(dest);

      // Before the copy: on a live system this may read the medium once (then cached for the boot).
      const liveImage = await liveImageInfo();
      const custody: Custody = {
        tool: { name: 'responder', version: VERSION, node: process.version },
        command: ['responder', 'acquire', ...argv],
        started: started.toISOString(),
        finished: '',
        host: hostInfo(),
        liveImage,
        case: { case: values.case, evidence: values.evidence, examiner: values.examiner, notes: values.notes },
        source: { path: info.path, kind: info.kind, size: info.size, sectorSize: info.sectorSize, devno: info.devno, model: info.model, serial: info.serial, readOnly: info.readOnly },
        destination: { kind: dest.kind, path: dest.kind === 'file' ? dest.path : undefined, url: 'url' in dest ? dest.url : undefined, split, ...(ewf ? { format: 'ewf', compression } : {}) },
        bytesRead: 0,
        bytesWritten: 0,
        readErrors: [],
        zeroFilledBytes: 0,
        hashes: {},
        pieces: [],
        verification: { status: 'not possible', detail: '' },
        result: 'failed',
      };

      if (base) sink = ewfSink(base, split, info, compression, custody, `responder ${VERSION}`);
      let pass;
      try {
        pass = await copyPass({
          read: (b, o, l, p) => fd.read(b, o, l, p),
          size: info.size,
          sectorSize: info.sectorSize,
          algorithms,
          sink: sink!,
          progress: new Progress(`acquire ${path.basename(info.path)}`, info.size),
        });
      } catch (err) {
        custody.finished = new Date().toISOString();
        custody.error = err instanceof Error ? err.message : String(err);
        await writeCustody(logBase, custody).catch(() => undefined);
        throw err instanceof ResponderError || err instanceof UsageError ? err : describeSystemError(err, info.path);
      }
      if (dest.kind === 'file' && !split && !ewf && pass.pieces[0]) pass.pieces[0].hashes = pass.hashes;
      Object.assign(custody, { bytesRead: pass.bytesRead, bytesWritten: pass.bytesWritten, readErrors: pass.reader.badRanges, zeroFilledBytes: pass.reader.zeroFilled, hashes: pass.hashes, pieces: pass.pieces });

      if (ewf) {
        custody.verification = await verifyAndPublish(pass.pieces, algorithms, pass.hashes, pass.bytesRead, new Progress('verify', pass.bytesRead));
      } else if (dest.kind === 'file') {
        const v = await verifyPieces(pass.pieces, algorithms, new Progress('verify', pass.bytesWritten));
        const bad = pass.pieces.filter((p, i) => JSON.stringify(p.hashes) !== JSON.stringify(v.pieces[i]));
        const ok = !bad.length && v.bytes === pass.bytesWritten && JSON.stringify(v.total) === JSON.stringify(pass.hashes);
        custody.verification = ok
          ? { status: 'verified', detail: `re-read ${v.bytes} bytes from ${pass.pieces.length} file(s); every hash matches`, hashes: v.total }
          : { status: 'mismatch', detail: `re-read ${v.bytes} of ${pass.bytesWritten} bytes; differing: ${bad.map((p) => p.path).join(', ') || 'total'}`, hashes: v.total };
      } else {
        custody.verification = { status: 'not possible', detail: `the image went to ${dest.kind === 'stdout' ? 'stdout' : dest.url}; compare its hashes on the receiving side with the ones above` };
      }
      custody.result =
        pass.bytesRead < info.size ? 'incomplete' : custody.verification.status === 'mismatch' ? 'verification failed' : pass.reader.badRanges.length ? 'read errors' : 'ok';
      if (custody.result === 'incomplete') custody.error = `the source ended after ${pass.bytesRead} of ${info.size} bytes`;
      custody.finished = new Date().toISOString();
      const files = await writeCustody(logBase, custody);

      if (values.json) printJson(custody);
      else {
        const say = (s: string) => process.stderr.write(terminalSafe(s) + '\n');
        say(`acquired ${humanBytes(pass.bytesRead)} from ${info.path}: ${custody.result}`);
        for (const [k, h] of Object.entries(pass.hashes)) say(`  ${k.padEnd(7)} ${h}`);
        if (pass.reader.badRanges.length) say(`  ${pass.reader.zeroFilled} bytes in ${pass.reader.badRanges.length} range(s) could not be read and are zeros in the image`);
        say(`  verification: ${custody.verification.status}`);
        say(`  custody log: ${files.txt}`);
      }
      if (custody.result === 'ok') return 0;
      if (custody.result === 'read errors') return 3;
      throw new ResponderError(`acquisition ${custody.result}${custody.error ? `: ${custody.error}` : ''} (see ${files.txt})`);
    } finally {
      await fd.close().catch(() => undefined);
    }
  },
};
