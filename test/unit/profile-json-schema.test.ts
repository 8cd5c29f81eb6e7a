// SPDX-License-Identifier: GPL-3.0-or-later
// The JSON Schema editors use: valid JSON, strict, documented, and matching the loader's rules.
import { describe, expect, it } from 'vitest';
import { profileJsonSchema } from '../../src/builder/features/index.js';

type Json = Record<string, any>;

/** Every object schema in the document, with a readable path. */
function objects(schema: Json, path = '#'): [string, Json][] {
  const found: [string, Json][] = [];
  if (schema.type === 'object' && schema.properties) found.push([path, schema]);
  for (const [key, prop] of Object.entries<Json>(schema.properties ?? {})) found.push(...objects(prop, `${path}/${key}`));
  if (schema.items) found.push(...objects(schema.items, `${path}[]`));
  for (const choice of schema.anyOf ?? []) found.push(...objects(choice, path));
  for (const [name, def] of Object.entries<Json>(schema.$defs ?? {})) found.push(...objects(def, `#/$defs/${name}`));
  return found;
}

describe('profileJsonSchema', () => {
  const schema = profileJsonSchema() as Json;

  it('is plain JSON for draft 2020-12', () => {
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.type).toBe('object');
  });

  it('describes every top-level key and requires none', () => {
    expect(Object.keys(schema.properties)).toEqual([
      'description',
      'extends',
      'distribution',
      'packages',
      'slim',
      'image',
      'overlays',
      'hooks',
      'squashfs',
      'boot',
      'forensic',
      'toolkit',
      'reference',
      'kernel',
      'reproducible',
    ]);
    for (const [key, prop] of Object.entries<Json>(schema.properties)) expect(prop.description, key).toMatch(/\S/);
    expect(schema.required).toBeUndefined();
  });

  it('rejects unknown keys and describes every key at every level', () => {
    const all = objects(schema);
    expect(all.length).toBeGreaterThan(8);
    for (const [path, obj] of all) {
      expect(obj.additionalProperties, path).toBe(false);
      for (const [key, prop] of Object.entries<Json>(obj.properties)) expect(prop.description, `${path}/${key}`).toMatch(/\S/);
    }
  });

  it('allows {remove: KEY} items in every list that merges', () => {
    expect(schema.$defs.remove).toMatchObject({ type: 'object', required: ['remove'], additionalProperties: false });
    const lists = [schema.properties.packages, schema.properties.hooks, schema.properties.boot.properties.entries, schema.properties.image.properties.user.properties.groups];
    for (const list of lists) expect(list.items.anyOf).toContainEqual({ $ref: '#/$defs/remove' });
  });

  it('shows defaults, including those of lists', () => {
    expect(schema.properties.distribution.properties.suite.default).toBe('bookworm');
    expect(schema.properties.distribution.properties.components.default).toEqual(['main']);
    expect(schema.properties.boot.properties.firmware.default).toEqual(['bios', 'uefi']);
    expect(schema.properties.slim.default).toBe(false);
    // A section's "{}" default is an implementation detail, not a useful editor default.
    expect(schema.properties.distribution).not.toHaveProperty('default');
  });

  it('asks for exactly one of script and command in a hook', () => {
    const hook = schema.properties.hooks.items.anyOf[0];
    expect(hook.required).toEqual(['name', 'when']);
    expect(hook.oneOf).toEqual([{ required: ['script'] }, { required: ['command'] }]);
  });
});
