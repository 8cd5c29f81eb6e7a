// SPDX-License-Identifier: GPL-3.0-or-later
// A throwaway repository layout (profiles/, overlays/) in a temp folder for profile tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { ValidationError } from '../../src/builder/errors.js';
import type { Profile } from '../../src/builder/profile/index.js';
import { loadProfile } from '../../src/builder/features/index.js';

export interface TempRepo {
  root: string;
  /** Writes files (paths relative to the repo root); folders ending in '/' are created empty. */
  write(files: Record<string, string>): void;
  load(ref: string): Promise<Profile>;
  /** The problems loading `ref` reports; fails the test if it loads. */
  problems(ref: string): Promise<string[]>;
}

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

export function tempRepo(files: Record<string, string> = {}): TempRepo {
  const root = mkdtempSync(path.join(tmpdir(), 'profile-test-'));
  made.push(root);
  const repo: TempRepo = {
    root,
    write(more) {
      for (const [rel, content] of Object.entries(more)) {
        const abs = path.join(root, rel);
        if (rel.endsWith('/')) {
          mkdirSync(abs, { recursive: true });
          continue;
        }
        mkdirSync(path.dirname(abs), { recursive: true });
        writeFileSync(abs, content);
      }
    },
    load: (ref) => loadProfile(ref, { repoRoot: root }),
    async problems(ref) {
      try {
        await loadProfile(ref, { repoRoot: root });
      } catch (err) {
        if (err instanceof ValidationError) return err.problems;
        throw err;
      }
      throw new Error(`${ref} loaded without problems`);
    },
  };
  repo.write({ 'profiles/': '', 'overlays/common/': '', ...files });
  return repo;
}

/** YAML from an indented template literal: strips the common indentation. */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const text = String.raw({ raw: strings }, ...values).replace(/^\n/, '');
  const indent = Math.min(
    ...text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => l.length - l.trimStart().length),
  );
  return text
    .split('\n')
    .map((l) => l.slice(indent))
    .join('\n');
}
