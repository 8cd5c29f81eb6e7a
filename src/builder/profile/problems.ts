// SPDX-License-Identifier: GPL-3.0-or-later
// Collects validation problems so all of them can be reported at once, each as one line:
// `profiles/x.yaml:12:5: packages[3]: <message>`.
import { ValidationError } from '../errors.js';
import type { PathSeg } from './schema-tools.js';
import { formatPath, positionAtOffset, positionOf, type Position, type SourceFile } from './positions.js';

interface Entry {
  fileRank: number;
  line: number;
  col: number;
  seq: number;
  text: string;
}

export class Problems {
  private readonly entries: Entry[] = [];
  private readonly ranks = new Map<string, number>();

  /** Fixes the order files are reported in (call in chain order, child first). */
  addFile(file: Pick<SourceFile, 'display'>): void {
    if (!this.ranks.has(file.display)) this.ranks.set(file.display, this.ranks.size);
  }

  get size(): number {
    return this.entries.length;
  }

  /**
   * A problem at the node for `path` in `file`. `shownPath` replaces the path printed in the message
   * (used when the node found is only the nearest place to a value no file set).
   */
  at(file: SourceFile, path: readonly PathSeg[], message: string, opts: { key?: boolean; shownPath?: readonly PathSeg[] } = {}): void {
    this.atPosition(file, positionOf(file, path, opts), formatPath(opts.shownPath ?? path), message);
  }

  atOffset(file: SourceFile, offset: number, message: string): void {
    this.atPosition(file, positionAtOffset(file, offset), '', message);
  }

  atPosition(file: Pick<SourceFile, 'display'>, pos: Position, shownPath: string, message: string): void {
    const where = `${file.display}:${pos.line}:${pos.col}`;
    this.push(file.display, pos, shownPath === '' ? `${where}: ${message}` : `${where}: ${shownPath}: ${message}`);
  }

  /** A problem that belongs to no file (e.g. the profile asked for does not exist). */
  general(text: string): void {
    this.push('', { line: 0, col: 0 }, text);
  }

  /** Problems without a file first, then files in the order added (child first), then by position. */
  lines(): string[] {
    return [...this.entries].sort((a, b) => a.fileRank - b.fileRank || a.line - b.line || a.col - b.col || a.seq - b.seq).map((e) => e.text);
  }

  throwIfAny(): void {
    if (this.size > 0) throw new ValidationError(this.lines());
  }

  private push(fileKey: string, pos: Position, text: string): void {
    if (!this.ranks.has(fileKey)) this.ranks.set(fileKey, fileKey === '' ? -1 : this.ranks.size);
    // The same problem can be found twice (e.g. a file shared by two paths of a check): report it once.
    if (this.entries.some((e) => e.text === text)) return;
    this.entries.push({ fileRank: this.ranks.get(fileKey)!, line: pos.line, col: pos.col, seq: this.entries.length, text });
  }
}
