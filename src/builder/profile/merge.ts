// SPDX-License-Identifier: GPL-3.0-or-later
// Merges an extends chain, driven only by the schema: objects merge key by key, lists append
// (de-duplicated by value or by their merge key, a same-key child item replacing the parent's in
// place), `{remove: KEY}` drops an inherited item, anything else in the child overrides.
// Every merged value remembers the file and path it came from, so problems found in the merged
// result can still point at a line.
import type * as z from 'zod';
import { didYouMean } from './did-you-mean.js';
import { formatPath, type SourceFile } from './positions.js';
import type { Problems } from './problems.js';
import { isRecord, isRemoveItem, itemIdentity, mergeMetaOf, objectShape, type MergeMeta, type PathSeg } from './schema-tools.js';

export interface Origin {
  file: SourceFile;
  /** Path of the value inside that file's data. */
  path: PathSeg[];
}

interface ObjectNode {
  kind: 'object';
  origin: Origin;
  fields: Map<string, Node>;
}
interface ListNode {
  kind: 'list';
  origin: Origin;
  items: { id: string | undefined; node: Leaf }[];
}
interface Leaf {
  kind: 'leaf';
  origin: Origin;
  value: unknown;
}
type Node = ObjectNode | ListNode | Leaf;

export interface Merged {
  /** Plain merged data, still without defaults. */
  value: Record<string, unknown>;
  /**
   * Where the value at a merged path came from. `exact` is false when nothing set that value and
   * the origin is its nearest ancestor that was set (the root meaning: no better place).
   */
  locate(path: readonly PathSeg[]): { origin: Origin; exact: boolean };
}

/** Merges `files` (child first, as loadChain returns them); removes of missing items are reported. */
export function mergeChain(schema: z.ZodType, files: readonly SourceFile[], problems: Problems): Merged {
  const child = files[0];
  if (!child) throw new Error('mergeChain needs at least one file');
  const root: ObjectNode = { kind: 'object', origin: { file: child, path: [] }, fields: new Map() };
  for (const file of [...files].reverse()) {
    const { extends: _parent, ...data } = file.data;
    mergeInto(schema, root, data, { file, path: [] }, problems);
  }
  return { value: toPlain(root) as Record<string, unknown>, locate: (p) => locate(root, p) };
}

function merge(schema: z.ZodType, prev: Node | undefined, raw: unknown, origin: Origin, problems: Problems): Node {
  const meta = mergeMetaOf(schema);
  if (meta && Array.isArray(raw)) return mergeList(meta, prev?.kind === 'list' ? prev : undefined, raw, origin, problems);
  if (objectShape(schema) && isRecord(raw)) {
    const node: ObjectNode = prev?.kind === 'object' ? prev : { kind: 'object', origin, fields: new Map() };
    mergeInto(schema, node, raw, origin, problems);
    return node;
  }
  return { kind: 'leaf', origin, value: raw };
}

function mergeInto(schema: z.ZodType, node: ObjectNode, raw: Record<string, unknown>, origin: Origin, problems: Problems): void {
  const shape = objectShape(schema) ?? {};
  node.origin = origin;
  for (const [key, value] of Object.entries(raw)) {
    const sub = shape[key];
    if (!sub || value === undefined) continue;
    node.fields.set(key, merge(sub, node.fields.get(key), value, { file: origin.file, path: [...origin.path, key] }, problems));
  }
}

function mergeList(meta: MergeMeta, prev: ListNode | undefined, raw: unknown[], origin: Origin, problems: Problems): ListNode {
  const items = prev ? [...prev.items] : [];
  raw.forEach((item, i) => {
    const itemOrigin: Origin = { file: origin.file, path: [...origin.path, i] };
    if (isRemoveItem(item)) {
      const at = items.findIndex((it) => it.id === item.remove);
      if (at >= 0) {
        items.splice(at, 1);
      } else {
        const known = items.flatMap((it) => (it.id === undefined ? [] : [it.id]));
        const hint = didYouMean(item.remove, known);
        problems.at(origin.file, itemOrigin.path, `cannot remove '${item.remove}': no parent profile has it in ${formatPath(stripIndexes(origin.path))}${hint}`);
      }
      return;
    }
    const id = itemIdentity(item, meta);
    const leaf: Leaf = { kind: 'leaf', origin: itemOrigin, value: item };
    const at = id === undefined ? -1 : items.findIndex((it) => it.id === id);
    // Keyed items replace the parent's in place (keeping menu order); equal plain values are kept once.
    if (at < 0) items.push({ id, node: leaf });
    else if (meta.key !== undefined) items[at] = { id, node: leaf };
  });
  return { kind: 'list', origin, items };
}

function stripIndexes(p: readonly PathSeg[]): PathSeg[] {
  return p.filter((s) => typeof s === 'string');
}

function toPlain(node: Node): unknown {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries([...node.fields].map(([k, v]) => [k, toPlain(v)]));
    case 'list':
      return node.items.map((it) => it.node.value);
    case 'leaf':
      return node.value;
  }
}

function locate(root: ObjectNode, p: readonly PathSeg[]): { origin: Origin; exact: boolean } {
  let node: Node = root;
  let i = 0;
  for (; i < p.length; i++) {
    const seg = p[i]!;
    const next: Node | undefined = node.kind === 'object' && typeof seg === 'string' ? node.fields.get(seg) : node.kind === 'list' && typeof seg === 'number' ? node.items[seg]?.node : undefined;
    if (!next) break;
    node = next;
  }
  // Inside a leaf (e.g. a whole boot entry) the rest of the path is the same in the file.
  const exact = i === p.length || node.kind === 'leaf';
  const path = node.kind === 'leaf' ? [...node.origin.path, ...p.slice(i)] : node.origin.path;
  return { origin: { file: node.origin.file, path }, exact };
}
