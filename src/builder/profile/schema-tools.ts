// SPDX-License-Identifier: GPL-3.0-or-later
// Building blocks for the profile schema and the generic walkers that read it back.
// Merging, defaults, docs and error hints are all driven by what is recorded here, so a new key
// in schema.ts needs no code anywhere else.
import * as z from 'zod';

/** Merge metadata for one list: `key` names the field that identifies object items (absent: the value itself). */
export interface MergeMeta {
  key?: string;
}

// Kept out of z.globalRegistry so merge metadata never leaks into the JSON Schema as unknown keywords.
export const mergeRegistry = z.registry<MergeMeta>();

export type PathSeg = string | number;

/** A list item that drops an inherited entry: `- remove: nano`. */
export const removeItem = z
  .strictObject({
    remove: z.string().min(1, { error: 'must name the entry to drop' }).describe('The inherited entry to drop: the value itself, or the `name`/`id` of a hook or boot entry.'),
  })
  .meta({
    id: 'remove',
    description: 'Drops an entry inherited through `extends` (an error if no parent has it).',
  });

export type RemoveItem = z.output<typeof removeItem>;

export function isRemoveItem(x: unknown): x is RemoveItem {
  return isRecord(x) && 'remove' in x;
}

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * A list that merges across `extends`: the child's items append to the parent's, items with the same
 * identity replace in place, and `{remove: KEY}` items drop inherited ones. After merging no remove
 * items are left, which the transform states in the output type.
 */
export function mergeList<T extends z.ZodType>(item: T, meta: MergeMeta = {}) {
  const list = z.array(z.union([item, removeItem])).transform((items) => items.filter((x) => !isRemoveItem(x)) as z.output<T>[]);
  mergeRegistry.add(list, meta);
  return list;
}

/** The identity a merge list uses for dedupe, replace and remove. */
export function itemIdentity(item: unknown, meta: MergeMeta): string | undefined {
  if (meta.key === undefined) return typeof item === 'string' || typeof item === 'number' ? String(item) : undefined;
  const id = isRecord(item) ? item[meta.key] : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** Wrapper layers (default, optional, ...) from the outside in, and the schema they wrap. */
export function unwrap(schema: z.ZodType): { core: z.ZodType; layers: z.ZodType[] } {
  const layers: z.ZodType[] = [];
  let s: z.ZodType = schema;
  for (;;) {
    layers.push(s);
    if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) {
      s = s.def.innerType as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = s.def.in as z.ZodType;
    } else {
      return { core: s, layers };
    }
  }
}

/** The merge metadata of a (possibly wrapped) list schema, or undefined for anything else. */
export function mergeMetaOf(schema: z.ZodType): MergeMeta | undefined {
  for (const layer of unwrap(schema).layers) {
    const meta = mergeRegistry.get(layer);
    if (meta) return meta;
  }
  return undefined;
}

/** The item schema of a merge list, without the `{remove}` alternative. */
export function listItemOf(schema: z.ZodType): z.ZodType | undefined {
  const { core } = unwrap(schema);
  if (!(core instanceof z.ZodArray)) return undefined;
  const element = core.element as z.ZodType;
  return element instanceof z.ZodUnion ? (element.options[0] as z.ZodType) : element;
}

export function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const { core } = unwrap(schema);
  return core instanceof z.ZodObject ? (core.shape as Record<string, z.ZodType>) : undefined;
}

/** The schema for the value at `path` (list items without the remove alternative), if the path exists in the schema. */
export function schemaAt(root: z.ZodType, path: readonly PathSeg[]): z.ZodType | undefined {
  let s: z.ZodType | undefined = root;
  for (const seg of path) {
    if (!s) return undefined;
    s = typeof seg === 'number' ? listItemOf(s) : objectShape(s)?.[seg];
  }
  return s;
}

/** Calls `visit` for every merge list present in `data`, wherever it is nested (in objects). */
export function forEachMergeList(schema: z.ZodType, data: unknown, visit: (path: PathSeg[], items: unknown[], meta: MergeMeta) => void, path: PathSeg[] = []): void {
  const meta = mergeMetaOf(schema);
  if (meta && Array.isArray(data)) {
    visit(path, data, meta);
    return;
  }
  const shape = objectShape(schema);
  if (!shape || !isRecord(data)) return;
  for (const [key, sub] of Object.entries(shape)) forEachMergeList(sub, data[key], visit, [...path, key]);
}
