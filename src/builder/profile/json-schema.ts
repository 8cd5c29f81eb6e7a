// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON Schema (draft 2020-12) of one profile file as written, for editors
// (`# yaml-language-server: $schema=./profile.schema.json`). Generated from the composed schema
// (compose.ts: schema.ts's core keys and the features' sections).
import * as z from 'zod';
import { profileFileSchema } from './compose.js';
import type { ProfileFeature } from './feature.js';
import { hookSchema } from './schema.js';

/** The JSON Schema of the profile file composed from `features` (features/index.ts). */
export function profileJsonSchema(features: readonly ProfileFeature[]): Record<string, unknown> {
  return z.toJSONSchema(profileFileSchema(features), {
    target: 'draft-2020-12',
    // As written: keys with defaults are optional, and a list may hold {remove: KEY} items.
    io: 'input',
    override(ctx) {
      const json = ctx.jsonSchema as Record<string, unknown>;
      // Nested sections default to "{}" only so their own keys' defaults apply; that is noise for editors.
      if (ctx.zodSchema instanceof z.ZodPrefault && isEmptyObject(json.default)) delete json.default;
      // "Exactly one of script/command" is a file rule in the loader; this lets editors flag it too.
      if (ctx.zodSchema === hookSchema) json.oneOf = [{ required: ['script'] }, { required: ['command'] }];
    },
  }) as Record<string, unknown>;
}

function isEmptyObject(x: unknown): boolean {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && Object.keys(x).length === 0;
}
