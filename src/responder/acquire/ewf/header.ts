// SPDX-License-Identifier: GPL-3.0-or-later
// The case metadata inside the image: "header2" (UTF-16LE with a BOM, EnCase 6 layout with the
// media's model and serial) and "header" (ASCII, EnCase 4 layout), both zlib-compressed, exactly
// as ewfacquire -f encase6 lays them out. Values come from the command line and from the disk's
// own firmware strings, so tabs and line breaks (the format's separators) are replaced by spaces.
import { deflateSync } from 'node:zlib';

export interface CaseInfo {
  description?: string;
  caseNumber?: string;
  evidenceNumber?: string;
  examiner?: string;
  notes?: string;
  model?: string;
  serial?: string;
  software: string;
  os: string;
  acquired: Date;
}

function clean(s: string | undefined): string {
  return (s ?? '').replace(/[\t\r\n]/g, ' ');
}

function epoch(d: Date): string {
  return String(Math.floor(d.getTime() / 1000));
}

/** "2026 12 2 6 12 26": year month day hour minute second (UTC here; libewf uses local time). */
function headerDate(d: Date): string {
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()].join(' ');
}

export function header2Text(c: CaseInfo): string {
  const main = [c.description, c.caseNumber, c.evidenceNumber, c.examiner, c.notes, c.model, c.serial, c.software, c.os, epoch(c.acquired), epoch(c.acquired), '0', ''].map(clean);
  return [
    '3',
    'main',
    'a\tc\tn\te\tt\tmd\tsn\tav\tov\tm\tu\tp\tdc',
    main.join('\t'),
    '',
    'srce',
    '0\t1',
    'p\tn\tid\tev\ttb\tlo\tpo\tah\tgu\taq',
    '0\t0',
    '\t\t\t\t\t-1\t-1\t\t\t',
    '',
    'sub',
    '0\t1',
    'p\tn\tid\tnu\tco\tgu',
    '0\t0',
    '\t\t\t\t1\t',
    '',
    '',
  ].join('\n');
}

export function headerText(c: CaseInfo): string {
  const d = headerDate(c.acquired);
  const main = [c.caseNumber, c.evidenceNumber, c.description, c.examiner, c.notes, c.software, c.os, d, d, '0'].map(clean);
  return ['1', 'main', 'c\tn\ta\te\tt\tav\tov\tm\tu\tp', main.join('\t'), '', ''].join('\r\n');
}

export function header2Data(c: CaseInfo): Buffer {
  return deflateSync(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(header2Text(c), 'utf16le')]));
}

/** ASCII only (libewf's default codepage): anything else becomes "?". */
export function headerData(c: CaseInfo): Buffer {
  return deflateSync(Buffer.from(headerText(c).replace(/[^\x20-\x7e\t\r\n]/g, '?'), 'latin1'));
}
