// SPDX-License-Identifier: GPL-3.0-or-later
// Log entries as a timeline in the forms `responder timeline` writes, so the two combine: a Sleuth
// Kit body file (name "<log file>: <entry>", escaped; the entry's time in all four time fields, so
// mactime shows one "macb" line per entry: a 0 would make mactime print a 0000-00-00 line) written
// as entries are read, and a time-sorted mactime -d CSV made through the same bounded external sort.
import { formatBodyLine } from '../timeline/body.js';
import { decodeEvent, encodeEvent, eventsOf, sortKey, TimelineFormatter } from '../timeline/mactime.js';
import { FileLineWriter } from '../timeline/out.js';
import { DEFAULT_CHUNK_RECORDS, ExternalSorter } from '../timeline/sort.js';
import { escapeEvidence } from './escape.js';

const MAX_TEXT_BYTES = 4096;

export class LogTimeline {
  private readonly body: FileLineWriter;
  private readonly sorter = new ExternalSorter(DEFAULT_CHUNK_RECORDS);
  private bodyOpen = true;
  count = 0;

  constructor(bodyPath: string) {
    this.body = new FileLineWriter(bodyPath);
  }

  /** `position` (line, sequence or record number) goes to the body file's meta field. */
  add(ms: number, source: string, text: string, position = 0): void {
    const raw = Buffer.from(`${source}: ${text}`, 'utf8');
    const name = escapeEvidence(raw.length > MAX_TEXT_BYTES ? raw.subarray(0, MAX_TEXT_BYTES) : raw);
    const sec = Math.floor(ms / 1000);
    const rec = { md5: '0', name, inode: String(position), mode: '-/----------', uid: 0, gid: 0, size: 0, atime: sec, mtime: sec, ctime: sec, crtime: sec };
    this.body.write(formatBodyLine(rec) + '\n');
    for (const e of eventsOf(rec)) this.sorter.add(e.time, sortKey(e), encodeEvent(e));
    this.count++;
  }

  closeBody(): void {
    if (!this.bodyOpen) return;
    this.bodyOpen = false;
    this.body.close();
  }

  writeCsv(file: string): void {
    const out = new FileLineWriter(file);
    const fmt = new TimelineFormatter('csv');
    out.write(fmt.header());
    for (const [time, key, payload] of this.sorter.sorted()) out.write(fmt.line(decodeEvent(time, key, payload)));
    out.close();
  }

  abort(): void {
    this.closeBody();
  }

  cleanup(): void {
    this.sorter.cleanup();
  }
}
