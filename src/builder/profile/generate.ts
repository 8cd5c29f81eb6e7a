// SPDX-License-Identifier: GPL-3.0-or-later
// The files generated from the profile schema and committed: the editors' JSON Schema and the reference
// page. A unit test compares them with the committed copies, so they cannot go stale.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ProfileFeature } from './feature.js';
import { profileJsonSchema } from './json-schema.js';
import { profileReferenceMarkdown } from './reference.js';

export interface GeneratedFile {
  /** Relative to the repository root. */
  path: string;
  content: string;
}

/** The generated files for the profile schema composed from `features` (features/index.ts). */
export function generatedFiles(features: readonly ProfileFeature[]): GeneratedFile[] {
  return [
    { path: 'profiles/profile.schema.json', content: JSON.stringify(profileJsonSchema(features), null, 2) + '\n' },
    { path: 'docs/profile-reference.md', content: profileReferenceMarkdown(features) },
  ];
}

/** Writes every generated file under `repoRoot`; returns their absolute paths. */
export async function writeGeneratedFiles(repoRoot: string, features: readonly ProfileFeature[]): Promise<string[]> {
  const written: string[] = [];
  for (const file of generatedFiles(features)) {
    const abs = path.join(repoRoot, file.path);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, file.content);
    written.push(abs);
  }
  return written;
}
