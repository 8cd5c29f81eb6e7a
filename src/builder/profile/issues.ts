// SPDX-License-Identifier: GPL-3.0-or-later
// Turns zod issues into one-line problems in the user's terms: unknown keys with a did-you-mean
// hint, wrong types with what was found, enum values with the allowed list. Custom messages
// written in schema.ts are used as they are.
import type * as z from 'zod';
import { describeExpected, describeValue, quoteValue } from './describe.js';
import { didYouMean } from './did-you-mean.js';
import { isRecord, isRemoveItem, objectShape, removeItem, schemaAt, type PathSeg } from './schema-tools.js';

export type Report = (path: PathSeg[], message: string, opts?: { key?: boolean }) => void;

export interface IssueContext {
  /** The schema the issue paths are relative to. */
  schema: z.ZodType;
  /** Where that schema's value sits in `data`. */
  base: PathSeg[];
  /** The root data that was validated, to quote offending values. */
  data: unknown;
  report: Report;
}

export function reportIssues(issues: readonly z.core.$ZodIssue[], ctx: IssueContext): void {
  for (const issue of issues) reportIssue(issue, ctx);
}

function reportIssue(issue: z.core.$ZodIssue, ctx: IssueContext): void {
  const rel = issue.path.filter((s): s is PathSeg => typeof s !== 'symbol');
  const full = [...ctx.base, ...rel];
  const value = valueAt(ctx.data, full);
  if ((issue.code === 'invalid_type' || issue.code === 'invalid_value') && value === undefined && typeof full.at(-1) === 'string') {
    ctx.report(full, `missing required key '${String(full.at(-1))}'`);
    return;
  }
  switch (issue.code) {
    case 'unrecognized_keys': {
      // zod reports a half-matching union branch directly: a list item with `remove` is a remove item.
      const here = typeof rel.at(-1) === 'number' && isRemoveItem(value) ? removeItem : schemaAt(ctx.schema, rel);
      const known = Object.keys((here && objectShape(here)) ?? {});
      for (const key of issue.keys) {
        const hint = didYouMean(key, known) || ` (allowed: ${known.join(', ')})`;
        ctx.report([...full, key], `unknown key '${key}'${hint}`, { key: true });
      }
      return;
    }
    case 'invalid_union':
      return reportUnion(issue, rel, full, value, ctx);
    case 'invalid_type':
      ctx.report(full, `expected ${describeExpected(issue.expected)}, got ${describeValue(value)}`);
      return;
    case 'invalid_value': {
      const allowed = issue.values.map((v) => String(v));
      const hint = typeof value === 'string' ? didYouMean(value, allowed) : '';
      ctx.report(full, `${quoteValue(value)} is not one of: ${allowed.join(', ')}${hint}`);
      return;
    }
    default:
      ctx.report(full, issue.message);
  }
}

/**
 * The only unions are merge-list items: "an item, or {remove: KEY}". Report the branch the user
 * evidently meant (a mapping with `remove` is a remove item), not both.
 */
function reportUnion(issue: z.core.$ZodIssueInvalidUnion, rel: PathSeg[], full: PathSeg[], value: unknown, ctx: IssueContext): void {
  const itemSchema = schemaAt(ctx.schema, rel);
  const [itemIssues, removeIssues] = issue.errors;
  if (!itemSchema || !itemIssues || !removeIssues) {
    ctx.report(full, issue.message);
    return;
  }
  const meantRemove = isRecord(value) && 'remove' in value;
  reportIssues(meantRemove ? removeIssues : itemIssues, { ...ctx, schema: meantRemove ? removeItem : itemSchema, base: full });
}

export function valueAt(data: unknown, path: readonly PathSeg[]): unknown {
  let v = data;
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isRecord(v) && typeof seg === 'string') v = v[seg];
    else return undefined;
  }
  return v;
}
