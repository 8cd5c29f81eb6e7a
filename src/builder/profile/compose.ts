// SPDX-License-Identifier: GPL-3.0-or-later
// The schema of one profile file: the core keys (schema.ts) with every registered feature's
// section at its declared place. Loading, merging, the JSON Schema and the reference page all
// read this one composed object. Sections are taken in registration order; one whose anchor is
// another feature's section waits until that is placed, and two sections after the same key keep
// registration order. When an anchor's feature is not in the list (a test loading with fewer
// features), its followers go to the end in registration order instead; the generated files'
// test pins the order of the full registration.
import * as z from 'zod';
import { InternalError } from '../errors.js';
import type { ProfileFeature } from './feature.js';
import { coreProfileShape } from './schema.js';

const composed = new WeakMap<readonly ProfileFeature[], z.ZodObject>();

export function profileFileSchema(features: readonly ProfileFeature[]): z.ZodObject {
  const cached = composed.get(features);
  if (cached) return cached;
  const keys: [string, z.ZodType][] = Object.entries(coreProfileShape);
  const placedAfter = new Map<string, number>();
  let pending = features.filter((f) => f.section !== undefined);
  while (pending.length) {
    const waiting = pending.filter((f) => {
      const { key, schema, after } = f.section!;
      if (keys.some(([k]) => k === key)) throw new InternalError(`feature ${f.name} adds the profile key ${key}, which is already there`);
      const at = keys.findIndex(([k]) => k === after);
      if (at < 0) return true;
      const n = placedAfter.get(after) ?? 0;
      keys.splice(at + 1 + n, 0, [key, schema]);
      placedAfter.set(after, n + 1);
      return false;
    });
    if (waiting.length === pending.length) {
      const [first, ...rest] = waiting;
      keys.push([first!.section!.key, first!.section!.schema]);
      pending = rest;
    } else {
      pending = waiting;
    }
  }
  const schema = z.strictObject(Object.fromEntries(keys)).meta({ title: 'forensic-live profile', description: 'A package-selection profile for build-live.' });
  composed.set(features, schema);
  return schema;
}

/** The top-level keys of a profile file, in order. */
export function profileKeys(features: readonly ProfileFeature[]): string[] {
  return Object.keys(profileFileSchema(features).shape);
}
