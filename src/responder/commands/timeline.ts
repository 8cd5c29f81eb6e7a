// SPDX-License-Identifier: GPL-3.0-or-later
// `responder timeline ROOT`: Sleuth Kit body file + mactime-style timeline of a mounted tree.
import { statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import type { Command } from '../cli/command.js';
import { recordOutput } from '../case/outputs.js';
import { activeCase } from '../case/state.js';
import { parse } from '../cli/args.js';
import { ResponderError, UsageError, describeSystemError } from '../lib/errors.js';
import { formatBodyLine, type BodyRecord } from '../timeline/body.js';
import { decodeEvent, encodeEvent, eventsOf, parseDate, sortKey, TimelineFormatter, type TimeRange } from '../timeline/mactime.js';
import { FileLineWriter, StdoutWriter } from '../timeline/out.js';
import { DEFAULT_CHUNK_RECORDS, ExternalSorter } from '../timeline/sort.js';
import { walkTree, type WalkProblem } from '../timeline/walk.js';
import { newOutputOutside } from '../evidence/outside.js';
import { splitPartitionSuffix } from '../mount/source.js';
import { imageRecords } from '../recover/image-source.js';

const HELP = `Usage: responder timeline ROOT [--body FILE] [--from DATE] [--to DATE] [--csv | --json]
       responder timeline IMAGE[:N] ...   (an image file or block device, N a partition)

ROOT an image or device: The Sleuth Kit's \`fls -r -m\` reads the file system itself, so names of
deleted files (" (deleted)") and orphan files ("/$OrphanFiles/...") are in the body file too.

Walk a mounted (read-only) tree without following symlinks and write:
  - a Sleuth Kit 3.x body file (MD5|name|inode|mode|UID|GID|size|atime|mtime|ctime|crtime),
    to --body FILE (default: ./<name of ROOT>.body, or in the open case folder (responder case);
    an existing file is never overwritten);
  - a timeline on stdout, like \`mactime -b BODY -y -z UTC\` (or -d with --csv): one line per
    distinct time of each file with its macb flags (m modified, a accessed, c changed, b born).

Names are escaped so every body line has 11 fields: "\\" -> "\\\\", "|" and control bytes and
invalid UTF-8 -> "\\xHH". Does not enter other file systems mounted below ROOT (each is reported).

Options:
  --body FILE          where to write the body file
  --from DATE          only events at or after DATE (UTC): 2024-05-01 or 2024-05-01T13:00:00Z
  --to DATE            only events at or before DATE (UTC; a bare date includes that whole day)
  --mount-point PATH   prefix for names in the body file, like fls -m (default /)
  --csv                timeline as CSV (Date,Size,Type,Mode,UID,GID,Meta,File Name)
  --json               timeline as JSON Lines, one event per line
  --tmp DIR            where large timelines are sorted in chunks (default: the system temp dir)

Exit status: 0 complete; 1 incomplete: some entries could not be looked at (unreadable, vanished,
another file system mounted below ROOT, too deep; listed on stderr, the rest is still written);
2 usage error.`;

export const timelineCommand: Command = {
  name: 'timeline',
  summary: 'body file (Sleuth Kit format) and macb timeline of a mounted tree',
  help: HELP,
  async run(argv) {
    const { values, positionals } = parse('timeline', argv, {
      body: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      csv: { type: 'boolean' },
      'mount-point': { type: 'string' },
      tmp: { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('timeline takes exactly one ROOT directory', 'see: responder timeline --help');
    if (values.csv && values.json) throw new UsageError('--csv and --json exclude each other');
    const root = path.resolve(positionals[0]!);
    const range: TimeRange = {};
    for (const [key, end] of [
      ['from', false],
      ['to', true],
    ] as const) {
      const text = values[key] as string | undefined;
      if (text === undefined) continue;
      const t = parseDate(text, end);
      if (t === undefined) throw new UsageError(`--${key}: not a date: "${text}"`, 'use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC)');
      range[key] = t;
    }
    if (range.from !== undefined && range.to !== undefined && range.from > range.to) throw new UsageError('--from is after --to');

    // An image file or a device (IMAGE:N for a partition): read with The Sleuth Kit, deleted names included.
    const imagePath = path.resolve(splitPartitionSuffix(positionals[0]!, undefined).file);
    let st;
    try {
      st = statSync(imagePath);
    } catch (err) {
      throw describeSystemError(err, root);
    }
    const image = st.isFile() || st.isBlockDevice();
    if (!image && !st.isDirectory()) throw new ResponderError(`${root}: not a directory, image file or block device`);

    // With a case open, the body file goes into the case folder (an explicit --body wins).
    const caseDir = activeCase()?.dir;
    // Real paths are compared, so a symlink on either side cannot put the body file into the evidence.
    const bodyPath = newOutputOutside((values.body as string | undefined) ?? path.join(caseDir ?? '.', `${path.basename(root) || 'root'}.body`), image ? undefined : root, '--body');

    let body: FileLineWriter;
    try {
      body = new FileLineWriter(bodyPath);
    } catch (err) {
      throw describeSystemError(err, bodyPath);
    }
    const sorter = new ExternalSorter(DEFAULT_CHUNK_RECORDS, (values.tmp as string | undefined) ?? undefined);
    const problems: WalkProblem[] = [];
    let problemCount = 0;
    const tty = Boolean(process.stderr.isTTY);
    let lastDraw = 0;
    let records = 0;
    let shown = 0;
    let deleted: number | undefined;
    try {
      const onRecord = (rec: BodyRecord) => {
        body.write(formatBodyLine(rec) + '\n');
        for (const e of eventsOf(rec, range)) sorter.add(e.time, sortKey(e), encodeEvent(e));
        if (tty && ++shown % 1000 === 0 && Date.now() - lastDraw > 200) {
          lastDraw = Date.now();
          process.stderr.write(`\rtimeline: ${shown} files`);
        }
      };
      if (image) {
        const r = await imageRecords(positionals[0]!, (values['mount-point'] as string | undefined) ?? '/', onRecord);
        records = r.records;
        deleted = r.deleted;
        if (r.malformed) {
          problemCount += r.malformed;
          problems.push({ kind: 'unreadable', path: root, message: `${r.malformed} line(s) of fls output not in body form` });
        }
      } else {
        records = walkTree(root, {
          mountPoint: values['mount-point'] as string | undefined,
          onRecord,
          onProblem(p) {
            problemCount++;
            // Keep the first 100 for the summary; a tree full of unreadable files must not fill memory.
            if (problems.length < 100) problems.push(p);
          },
        });
      }
    } catch (err) {
      sorter.cleanup();
      body.close();
      unlinkSync(bodyPath); // an incomplete body file must not be mistaken for a result
      throw err instanceof ResponderError ? err : describeSystemError(err, root);
    } finally {
      if (tty) process.stderr.write('\r\x1b[K');
    }
    body.close();
    recordOutput(bodyPath);

    const out = new StdoutWriter();
    const fmt = new TimelineFormatter(values.json ? 'json' : values.csv ? 'csv' : 'text');
    await out.write(fmt.header());
    const events = sorter.count;
    for (const [time, key, payload] of sorter.sorted()) {
      if (out.closed) break;
      await out.write(fmt.line(decodeEvent(time, key, payload)));
    }
    sorter.cleanup();
    await out.flush();

    for (const p of problems) process.stderr.write(`responder: timeline: ${p.kind}: ${p.path}: ${p.message}\n`);
    if (problemCount > problems.length) process.stderr.write(`responder: timeline: ... and ${problemCount - problems.length} more problems\n`);
    process.stderr.write(
      `timeline: ${records} entries${deleted !== undefined ? ` (${deleted} deleted or orphan)` : ''} in ${bodyPath}, ${events} timeline events${problemCount ? `, INCOMPLETE: ${problemCount} entr${problemCount === 1 ? 'y' : 'ies'} could not be looked at` : ''}\n`,
    );
    return problemCount > 0 ? 1 : 0;
  },
};
