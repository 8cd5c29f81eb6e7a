// SPDX-License-Identifier: GPL-3.0-or-later
// The one deb822 parser (dpkg's status file, Packages indexes, control files), for builder and
// responder alike. It reads attacker-controlled text (an evidence disk's dpkg database), so it is
// small, never throws on odd input, and bounded: the streaming reader refuses a paragraph larger
// than its limit instead of growing without end.
import { StringDecoder } from 'node:string_decoder';

/** Field names lower-cased (deb822 names are case-insensitive); continuation lines joined with "\n". */
export type Paragraph = Map<string, string>;

/** One paragraph's fields; lines that are neither a field nor a continuation are skipped. */
export function parseParagraph(text: string): Paragraph {
  return parseDeb822(text)[0] ?? new Map();
}

/** deb822 paragraphs; continuation lines are kept (joined with "\n"), field names are case-insensitive. */
export function parseDeb822(text: string): Paragraph[] {
  const out: Paragraph[] = [];
  let cur: Paragraph = new Map();
  let last: string | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (cur.size) out.push(cur);
      cur = new Map();
      last = undefined;
      continue;
    }
    if ((line[0] === ' ' || line[0] === '\t') && last) {
      cur.set(last, `${cur.get(last)}\n${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).toLowerCase();
    cur.set(last, line.slice(colon + 1).trim());
  }
  if (cur.size) out.push(cur);
  return out;
}

/** A paragraph in a stream was larger than the reader allows. */
export class ParagraphTooLargeError extends Error {
  override name = 'ParagraphTooLargeError';
}

/** Default bound for one streamed paragraph: Packages paragraphs are a few KiB. */
export const MAX_PARAGRAPH_CHARS = 1 << 20;

/**
 * The text of each paragraph of a deb822 stream (a Packages index through xz), one at a time, so
 * a whole index is never held in memory. Multi-byte characters split across chunks are kept whole.
 */
export async function* streamParagraphs(chunks: AsyncIterable<Buffer | string>, maxChars = MAX_PARAGRAPH_CHARS): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let para: string[] = [];
  let size = 0;
  let partial = '';
  const take = function* (line: string): Generator<string> {
    if (line.trim() === '') {
      if (para.length) yield para.join('\n');
      para = [];
      size = 0;
      return;
    }
    size += line.length + 1;
    if (size > maxChars) throw new ParagraphTooLargeError(`a paragraph is larger than ${maxChars} characters`);
    para.push(line);
  };
  for await (const chunk of chunks) {
    const lines = (partial + (typeof chunk === 'string' ? chunk : decoder.write(chunk))).split('\n');
    partial = lines.pop() ?? '';
    if (partial.length > maxChars) throw new ParagraphTooLargeError(`a line is larger than ${maxChars} characters`);
    for (const line of lines) yield* take(line);
  }
  yield* take(partial + decoder.end());
  yield* take('');
}
