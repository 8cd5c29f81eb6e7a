// SPDX-License-Identifier: GPL-3.0-or-later
// How names and relative paths in profiles turn into absolute paths, in one place, so validation
// (which checks they exist) and resolution (which hands them to the pipeline) always agree.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** A reference is a path (relative to its base folder) if it contains '/' or ends in .yaml/.yml; else a name. */
export function isPathRef(ref: string): boolean {
  return ref.includes('/') || /\.ya?ml$/.test(ref);
}

/** A profile reference: a name means <repoRoot>/profiles/NAME.yaml; a path is relative to `fromDir`. */
export function profilePath(ref: string, fromDir: string, repoRoot: string): string {
  return isPathRef(ref) ? path.resolve(fromDir, ref) : path.join(repoRoot, 'profiles', `${ref}.yaml`);
}

/** An overlay: a bare name means <repoRoot>/overlays/NAME; a value with '/' is relative to the profile file's folder. */
export function overlayPath(value: string, profileFile: string, repoRoot: string): string {
  return value.includes('/') ? path.resolve(path.dirname(profileFile), value) : path.join(repoRoot, 'overlays', value);
}

/** A hook script, relative to the folder of the profile file that names it. */
export function hookScriptPath(script: string, profileFile: string): string {
  return path.resolve(path.dirname(profileFile), script);
}

/** The profile's name: its file name without .yaml/.yml. */
export function profileName(file: string): string {
  return path.basename(file).replace(/\.ya?ml$/, '');
}

export function isFile(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}

export function isDirectory(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Entry names in `dir` (none if it cannot be read), for did-you-mean hints. */
export function entriesOf(dir: string, keep: (name: string, isDir: boolean) => boolean = () => true): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => keep(e.name, e.isDirectory()))
      .map((e) => e.name);
  } catch {
    return [];
  }
}

/** Profile names (without .yaml) in a folder. */
export function profileNamesIn(dir: string): string[] {
  return entriesOf(dir, (name, isDir) => !isDir && /\.ya?ml$/.test(name)).map(profileName);
}
