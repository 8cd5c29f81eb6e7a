// SPDX-License-Identifier: GPL-3.0-or-later
// The one deb822 parser: fields, continuations, odd lines skipped, and the streaming reader's
// paragraphs whatever the chunking (a character split across chunks stays whole), within its bound.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseDeb822, parseParagraph, ParagraphTooLargeError, streamParagraphs } from '../../src/shared/debian/deb822.js';

const TEXT = 'Package: a\nVersion: 1\nDepends: x,\n y (>= 2)\n\n\nPackage: b\nMaintainer: Jörg <j@x>\nnot a field\n: no name\n';

async function collect(chunks: (Buffer | string)[], max?: number): Promise<string[]> {
  const out: string[] = [];
  for await (const p of streamParagraphs(Readable.from(chunks), max)) out.push(p);
  return out;
}

describe('deb822', () => {
  it('parses paragraphs: names lower-cased, continuations joined, odd lines skipped', () => {
    const [a, b] = parseDeb822(TEXT);
    expect(a!.get('depends')).toBe('x,\ny (>= 2)');
    expect(b!.get('maintainer')).toBe('Jörg <j@x>');
    expect([...b!.keys()]).toEqual(['package', 'maintainer']);
    expect(parseParagraph('').size).toBe(0);
  });

  it('streams the same paragraphs whatever the chunk boundaries', async () => {
    const bytes = Buffer.from(TEXT);
    const whole = await collect([bytes]);
    expect(whole.map((p) => parseParagraph(p).get('package'))).toEqual(['a', 'b']);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await collect([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
    }
    expect(await collect([...bytes].map((b) => Buffer.from([b])))).toEqual(whole);
  });

  it('refuses a paragraph or a line larger than its bound', async () => {
    await expect(collect(['Package: a\n', `Description: ${'x'.repeat(100)}\n`], 64)).rejects.toThrow(ParagraphTooLargeError);
    await expect(collect([`Package: ${'x'.repeat(100)}`], 64)).rejects.toThrow(ParagraphTooLargeError);
    expect(await collect(['Package: a\n\n'.repeat(50)], 64)).toHaveLength(50);
  });
});
