// SPDX-License-Identifier: GPL-3.0-or-later
// From a path in a profile's data (['boot', 'entries', 0, 'id']) back to the YAML node it came from,
// so every problem can say file:line:col.
import path from 'node:path';
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node as YamlNode } from 'yaml';
import type { PathSeg } from './schema-tools.js';

/** One parsed profile file. */
export interface SourceFile {
  abs: string;
  /** How problems name the file: relative to the working directory when inside it. */
  display: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The file's data as plain JS (a mapping once parsing succeeded). */
  data: Record<string, unknown>;
}

export interface Position {
  line: number;
  col: number;
}

export function displayPath(abs: string, cwd = process.cwd()): string {
  const rel = path.relative(cwd, abs);
  return rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? abs : rel;
}

/** `boot.entries[0].id`; the empty string for the root. */
export function formatPath(p: readonly PathSeg[]): string {
  let out = '';
  for (const seg of p) out += typeof seg === 'number' ? `[${seg}]` : out === '' ? seg : `.${seg}`;
  return out;
}

export function positionAtOffset(file: SourceFile, offset: number): Position {
  return file.lines.linePos(offset);
}

/**
 * Where the node at `p` starts. With `key`, a mapping entry is located by its key (used for unknown
 * keys). Collections held by a key are located by that key too: `boot:` reads better than the first
 * line inside it. A path that does not exist in the file falls back to its deepest existing parent,
 * and the root to line 1, column 1.
 */
export function positionOf(file: SourceFile, p: readonly PathSeg[], opts: { key?: boolean } = {}): Position {
  let node: unknown = file.doc.contents;
  let keyNode: YamlNode | undefined;
  let found: YamlNode | undefined;
  for (const seg of p) {
    if (isAlias(node)) node = node.resolve(file.doc);
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && keyText(it.key) === String(seg));
      if (!pair) break;
      keyNode = pair.key as YamlNode;
      next = pair.value ?? undefined;
    } else if (isSeq(node) && typeof seg === 'number' && seg < node.items.length) {
      keyNode = undefined;
      next = node.items[seg];
    } else {
      break;
    }
    // `key:` with no value has no (or an empty) node of its own: its key stands in for it.
    found = hasRange(next) && !isEmptyScalar(next) ? next : keyNode;
    node = next;
    if (!hasRange(next)) break;
  }
  const useKey = keyNode !== undefined && (opts.key === true || found === keyNode || isMap(found) || isSeq(found));
  const target = useKey ? keyNode : found;
  if (!target?.range) return { line: 1, col: 1 };
  return positionAtOffset(file, target.range[0]);
}

function isEmptyScalar(node: YamlNode): boolean {
  return isScalar(node) && node.range !== undefined && node.range !== null && node.range[0] === node.range[1];
}

function hasRange(x: unknown): x is YamlNode {
  return typeof x === 'object' && x !== null && 'range' in x && Array.isArray((x as YamlNode).range);
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}
