// SPDX-License-Identifier: GPL-3.0-or-later
// docs/profile-reference.md, generated from the JSON Schema (types, defaults, descriptions) and the
// schema's merge metadata, so the reference can never disagree with what the loader accepts.
import { stringify } from 'yaml';
import type * as z from 'zod';
import { profileFileSchema } from './compose.js';
import type { ProfileFeature } from './feature.js';
import { profileJsonSchema } from './json-schema.js';
import { mergeMetaOf, objectShape, schemaAt, type PathSeg } from './schema-tools.js';

type Json = Record<string, unknown>;

/** The JSON Schema the tables are read from and the zod schema it came from (for the merge column). */
interface Doc {
  root: Json;
  schema: z.ZodType;
}

export const REFERENCE_EXAMPLE = `# yaml-language-server: $schema=./profile.schema.json
description: Base system plus a few disk tools
extends: base
packages:
  - sleuthkit
  - remove: nano        # inherited from base, not wanted here
image:
  hostname: disk-tools
boot:
  volume_label: DISK_TOOLS
  entries:
    - id: live          # same id as base's entry: replaces it in place
      label: Disk tools
hooks:
  - name: tidy-apt
    when: after-overlays
    command: [apt-get, clean]
`;

const MERGING = `## How profiles combine

A profile may name a parent with \`extends\` (a name in \`profiles/\`, or a path relative to the file
when it contains \`/\` or ends in \`.yaml\`); parents may have parents. The chain is merged from the
root ancestor down to the profile you build:

- Scalars in the child override the parent's.
- Mappings (\`distribution\`, \`image\`, \`boot\`, ...) merge key by key, recursively.
- Every list **appends** the child's items to the parent's. Duplicates are dropped: plain lists compare
  values; \`hooks\` compare \`name\` and \`boot.entries\` compare \`id\`, where a child item with the same key
  **replaces** the parent's item in place (so menu order stays).
- To drop an inherited item, write \`- remove: KEY\` in the list (the value, the hook's \`name\` or the
  entry's \`id\`). Removing something no parent has is an error (with a did-you-mean hint), and so is
  \`remove\` in a profile without \`extends\`.
- \`level: null\` drops an inherited \`squashfs.level\` (needed when a child switches to xz).
- Defaults apply after merging, to keys that no file of the chain sets.
- Paths (overlays with \`/\`, hook scripts) are relative to the file that names them. Overlays are
  matched by their text as written when de-duplicating and removing.
- When \`boot.serial_console.enabled\`, the boot menu gets one more entry, \`serial\`, a copy of the
  default entry labelled "<label> (serial console)" with \`console=ttySN,SPEEDn8\` last, so the
  serial port becomes /dev/console. The id \`serial\` is therefore reserved.

All problems are reported at once as \`file:line:col: key.path: message\`; \`build-live\` exits with code 2.
Problems in single files (syntax, unknown keys, types, values, missing files) come first; checks of
the merged result (default entry, firmware, compression level) run once those are fixed.
`;

/** The reference page for the profile schema composed from `features` (features/index.ts). */
export function profileReferenceMarkdown(features: readonly ProfileFeature[]): string {
  const schema = profileFileSchema(features);
  const root = profileJsonSchema(features);
  const out = [
    '<!-- Generated from src/builder/profile/schema.ts by `npm run generate`; do not edit by hand. -->',
    '',
    '# Profile reference',
    '',
    'A profile is a YAML file that selects what goes into a live image: the Debian suite and mirrors,',
    'packages, overlays, hooks, squashfs settings and the boot menu. The shipped profiles are in',
    '`profiles/` (`base`, `minimal`, `forensic`). Start a profile with',
    '`# yaml-language-server: $schema=./profile.schema.json` so editors validate it against',
    '`profiles/profile.schema.json`.',
    '',
    '## Example',
    '',
    '```yaml',
    REFERENCE_EXAMPLE.trimEnd(),
    '```',
    '',
    ...features.flatMap((f) => (f.section?.guide === undefined ? [] : [f.section.guide])),
    MERGING,
    '## Keys',
  ];
  keySection('Top level', [], root, { root, schema }, out);
  return out.join('\n') + '\n';
}

/** One table per mapping, each followed by the tables of the mappings nested in it. */
function keySection(title: string, path: PathSeg[], schema: Json, doc: Doc, out: string[]): void {
  const { root } = doc;
  out.push('', `### ${title}`, '', '| Key | Type | Default | Merging | Description |', '| --- | --- | --- | --- | --- |');
  const nested: [string, PathSeg[], Json][] = [];
  for (const [key, prop] of Object.entries((schema.properties ?? {}) as Record<string, Json>)) {
    const keyPath = [...path, key];
    const required = ((schema.required ?? []) as string[]).includes(key) ? ' (required)' : '';
    const row = [`\`${key}\`${required}`, typeText(prop, root), defaultText(prop), mergingText(keyPath, doc.schema), cellText(String(prop.description ?? ''))];
    out.push(`| ${row.join(' | ')} |`);
    const inner = objectOf(prop, root);
    if (!inner) continue;
    const innerPath = inner.list ? [...keyPath, 0] : keyPath;
    nested.push([`\`${sectionTitle(innerPath)}\``, innerPath, inner.schema]);
  }
  for (const [t, p, s] of nested) keySection(t, p, s, doc, out);
}

/** The mapping a property holds (directly, or as the items of a list), to document it in its own section. */
function objectOf(prop: Json, root: Json): { schema: Json; list: boolean } | undefined {
  if (prop.type === 'object' && prop.properties) return { schema: prop, list: false };
  const item = itemOf(prop, root);
  return item?.type === 'object' && item.properties ? { schema: item, list: true } : undefined;
}

function itemOf(prop: Json, root: Json): Json | undefined {
  if (prop.type !== 'array' || !prop.items) return undefined;
  const items = prop.items as Json;
  const choices = (items.anyOf as Json[] | undefined)?.filter((c) => c.$ref === undefined) ?? [items];
  return choices[0] && deref(choices[0], root);
}

function deref(s: Json, root: Json): Json {
  const ref = s.$ref;
  if (typeof ref !== 'string') return s;
  const name = ref.replace('#/$defs/', '');
  return ((root.$defs as Record<string, Json>)[name] ?? s) as Json;
}

function typeText(prop: Json, root: Json): string {
  const s = deref(prop, root);
  if (Array.isArray(s.anyOf)) {
    const choices = (s.anyOf as Json[]).map((c) => typeText(c, root));
    return cellText(choices.join(' or '));
  }
  if (Array.isArray(s.enum)) return cellText(`one of ${(s.enum as unknown[]).map((v) => `\`${String(v)}\``).join(', ')}`);
  switch (s.type) {
    case 'array': {
      const item = itemOf(s, root);
      if (!item) return 'list';
      if (item.type === 'object') return 'list of mappings';
      if (Array.isArray(item.enum)) return `list of ${typeText(item, root).replace(/^one of /, '')}`;
      return `list of ${typeText(item, root)}s`;
    }
    case 'object':
      return 'mapping';
    case 'integer':
    case 'number':
      return s.minimum !== undefined && s.maximum !== undefined ? `integer ${s.minimum}-${s.maximum}` : String(s.type);
    case 'string':
      return s.format === 'uri' ? 'URL' : 'string';
    default:
      return String(s.type);
  }
}

function defaultText(prop: Json): string {
  if (!('default' in prop)) return '';
  return cellText(`\`${stringify(prop.default, { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 }).trim()}\``);
}

function mergingText(path: PathSeg[], root: z.ZodType): string {
  if (path.includes(0)) return 'part of the item';
  const schema = schemaAt(root, path);
  if (!schema) return '';
  const meta = mergeMetaOf(schema);
  if (meta) return meta.key ? `appends; same \`${meta.key}\` replaces` : 'appends, de-duplicated';
  if (objectShape(schema)) return 'merged key by key';
  return path.length === 1 && path[0] === 'extends' ? 'not inherited' : 'child overrides';
}

/** `boot.entries[]` for the items of a list. */
function sectionTitle(path: PathSeg[]): string {
  return path
    .map((seg) => (typeof seg === 'number' ? '[]' : seg))
    .join('.')
    .replace(/\.\[\]/g, '[]');
}

function cellText(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
