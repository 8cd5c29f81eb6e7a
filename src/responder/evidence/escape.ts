// SPDX-License-Identifier: GPL-3.0-or-later
// The one reversible escaping of evidence bytes for display: file names, link targets, and any
// text read from the evidence (package names, labels, configuration lines) go through it before
// they reach a terminal, a body file, a report or JSON. The body file (timeline/body.ts) uses it,
// so a name reads the same in every command's output and unescapeName() gives the bytes back.
//
// fls writes names raw except that bytes below 0x20 become "^": a "|" in a name
// shifts every later field, invalid UTF-8 goes through as is, and the "^" replacement is lossy.
// We need every line to have exactly 11 fields, be valid UTF-8, and still name the file exactly, so
// names are escaped reversibly:
//   "\"                                  -> "\\"
//   "|", bytes 0x00-0x1f and 0x7f          -> "\xHH" (lowercase hex)
//   each byte of invalid UTF-8             -> "\xHH"
//   C1 controls (U+0080-U+009F), bidi overrides/isolates/marks (U+202A-U+202E, U+2066-U+2069,
//   U+200E, U+200F, U+061C), line/paragraph separators (U+2028, U+2029), which can hide, break or
//   reorder text on a terminal or in a report -> "\xHH" for each UTF-8 byte.
// Everything else (printable ASCII, valid UTF-8) is written unchanged, so ordinary names are the
// same as fls's. unescapeName() gives the original bytes back.

/** Code points that control how text is shown rather than being text. */
function isHiddenControl(cp: number): boolean {
  return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp === 0x200e || cp === 0x200f || cp === 0x061c || cp === 0x2028 || cp === 0x2029;
}

/** Escape a file name (raw bytes, as read from the directory) for a body file. */
export function escapeName(name: Buffer): string {
  let out = '';
  let plainStart = 0; // start of a run of bytes that are copied through unchanged
  let i = 0;
  const flush = (end: number) => {
    if (end > plainStart) out += name.toString('utf8', plainStart, end);
  };
  const escapeBytes = (start: number, end: number) => {
    for (let j = start; j < end; j++) out += '\\x' + name[j]!.toString(16).padStart(2, '0');
  };
  while (i < name.length) {
    const b = name[i]!;
    if (b < 0x80) {
      if (b < 0x20 || b === 0x7f || b === 0x7c /* | */ || b === 0x5c /* \ */) {
        flush(i);
        if (b === 0x5c) out += '\\\\';
        else escapeBytes(i, i + 1);
        plainStart = i + 1;
      }
      i++;
      continue;
    }
    const len = utf8SequenceLength(name, i);
    if (len === 0) {
      flush(i);
      escapeBytes(i, i + 1);
      i++;
      plainStart = i;
      continue;
    }
    const cp = decodeCodePoint(name, i, len);
    if (isHiddenControl(cp)) {
      flush(i);
      escapeBytes(i, i + len);
      plainStart = i + len;
    }
    i += len;
  }
  flush(name.length);
  return out;
}

/** The bytes an escaped name stands for (the inverse of escapeName). */
export function unescapeName(escaped: string): Buffer {
  const parts: Buffer[] = [];
  let plainStart = 0;
  let i = 0;
  while (i < escaped.length) {
    if (escaped[i] !== '\\') {
      i++;
      continue;
    }
    if (i > plainStart) parts.push(Buffer.from(escaped.slice(plainStart, i), 'utf8'));
    if (escaped[i + 1] === '\\') {
      parts.push(Buffer.from('\\'));
      i += 2;
    } else if (escaped[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(escaped.slice(i + 2, i + 4))) {
      parts.push(Buffer.from([parseInt(escaped.slice(i + 2, i + 4), 16)]));
      i += 4;
    } else {
      parts.push(Buffer.from('\\')); // a lone backslash (not written by us): keep it
      i += 1;
    }
    plainStart = i;
  }
  if (plainStart < escaped.length) parts.push(Buffer.from(escaped.slice(plainStart), 'utf8'));
  return Buffer.concat(parts);
}

/** Length of the well-formed UTF-8 sequence at buf[i] (2-4), or 0 when it is not one (RFC 3629). */
function utf8SequenceLength(buf: Buffer, i: number): number {
  const b0 = buf[i]!;
  let len: number;
  let lo = 0x80;
  let hi = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) len = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    len = 3;
    if (b0 === 0xe0) lo = 0xa0; // overlong
    if (b0 === 0xed) hi = 0x9f; // UTF-16 surrogates
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    len = 4;
    if (b0 === 0xf0) lo = 0x90; // overlong
    if (b0 === 0xf4) hi = 0x8f; // above U+10FFFF
  } else return 0;
  if (i + len > buf.length) return 0;
  const b1 = buf[i + 1]!;
  if (b1 < lo || b1 > hi) return 0;
  for (let k = 2; k < len; k++) {
    const b = buf[i + k]!;
    if (b < 0x80 || b > 0xbf) return 0;
  }
  return len;
}

function decodeCodePoint(buf: Buffer, i: number, len: number): number {
  const b0 = buf[i]!;
  let cp = len === 2 ? b0 & 0x1f : len === 3 ? b0 & 0x0f : b0 & 0x07;
  for (let k = 1; k < len; k++) cp = (cp << 6) | (buf[i + k]! & 0x3f);
  return cp;
}

/** Escape text that came from the evidence (already decoded): the same rules, on its UTF-8 bytes. */
export function escapeText(text: string): string {
  return escapeName(Buffer.from(text, 'utf8'));
}

/** Evidence text for one line of a terminal or report: escaped, trimmed, at most `max` characters. */
export function shownText(text: string, max = 200): string {
  const one = escapeText(text.trim());
  return one.length > max ? one.slice(0, max) + '…' : one;
}

/** Characters that must never reach a terminal raw: C0 (but tab and newline), DEL, C1, bidi and line controls. */
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g;

/**
 * The last line of defence for text output: evidence strings are escaped where they are read, and
 * whatever a command prints goes through this too, so a string that escaped that rule (a new
 * field, a label from a disk signature) still cannot move the cursor, clear the screen or reorder
 * text. Same \xHH form as escapeName; a backslash is left alone (it may already be an escape).
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => [...Buffer.from(c, 'utf8')].map((b) => '\\x' + b.toString(16).padStart(2, '0')).join(''));
}
