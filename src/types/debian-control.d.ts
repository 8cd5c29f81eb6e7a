// SPDX-License-Identifier: GPL-3.0-or-later
// Types for the parts of debian-control (GPL-3.0-or-later, no bundled types) that we use.
declare module 'debian-control' {
  import type { Transform } from 'node:stream';
  /** A deb822 paragraph as an object; folded fields become arrays of lines. */
  export function parse(text: string): Record<string, string | string[]>;
  export function stripSignature(text: string): string;
  /** Splits a stream of deb822 text into paragraphs (Buffers). */
  export class ParagraphStream extends Transform {
    constructor(options?: import("node:stream").TransformOptions);
  }
}
