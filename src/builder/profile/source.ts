// SPDX-License-Identifier: GPL-3.0-or-later
// Reads one profile file: YAML syntax errors (with the parser's positions) and a top level that is
// not a mapping are reported here; everything after works on plain data plus the parsed document.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { isRecord } from './schema-tools.js';
import { displayPath, type SourceFile } from './positions.js';
import type { Problems } from './problems.js';
import { describeValue } from './describe.js';

export async function readSourceFile(abs: string, problems: Problems): Promise<SourceFile | undefined> {
  const display = displayPath(abs);
  problems.addFile({ display });
  let text: string;
  try {
    text = await readFile(abs, 'utf8');
  } catch (err) {
    problems.atPosition({ display }, { line: 1, col: 1 }, '', `cannot read the file: ${(err as Error).message}`);
    return undefined;
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const file: SourceFile = { abs, display, doc, lines, data: {} };
  if (doc.errors.length > 0) {
    for (const e of doc.errors) problems.atOffset(file, e.pos[0], `YAML syntax error: ${firstLine(e.message)}`);
    return undefined;
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // Unknown aliases and alias bombs only show up when the document is converted.
    problems.atPosition(file, { line: 1, col: 1 }, '', `YAML error: ${firstLine((err as Error).message)}`);
    return undefined;
  }
  if (!isRecord(data)) {
    const start = doc.contents?.range[0];
    const got = data === null || data === undefined ? 'the file is empty' : `got ${describeValue(data)}`;
    const message = `a profile must be a mapping of keys (description, extends, packages, ...); ${got}`;
    if (start === undefined) problems.atPosition(file, { line: 1, col: 1 }, '', message);
    else problems.atOffset(file, start, message);
    return undefined;
  }
  file.data = data;
  return file;
}

function firstLine(message: string): string {
  return message
    .split('\n')[0]!
    .replace(/ at line \d+, column \d+:?$/, '')
    .trim();
}
