// SPDX-License-Identifier: GPL-3.0-or-later
// Checks on one profile file that the schema cannot express: list items unique by key, removes
// only with a parent, hooks with exactly one of script/command, and referenced paths existing.
// The data may still be invalid in other places (the schema reports that), so every rule checks
// the shapes it relies on.
import path from 'node:path';
import type * as z from 'zod';
import { didYouMean } from './did-you-mean.js';
import { entriesOf, hookScriptPath, isDirectory, isFile, overlayPath } from './paths.js';
import { displayPath, positionOf, type SourceFile } from './positions.js';
import { forEachMergeList, isRecord, isRemoveItem, itemIdentity, type PathSeg } from './schema-tools.js';

export interface FileRuleContext {
  file: SourceFile;
  data: Record<string, unknown>;
  repoRoot: string;
  /** The composed schema of a profile file (compose.ts). */
  schema: z.ZodType;
  report(path: PathSeg[], message: string): void;
}

export type FileRule = (ctx: FileRuleContext) => void;

/** Two items with the same `id`/`name` in one file: one would silently replace the other. */
export const uniqueKeys: FileRule = (ctx) => {
  forEachMergeList(ctx.schema, ctx.data, (listPath, items, meta) => {
    if (meta.key === undefined) return;
    const first = new Map<string, number>();
    items.forEach((item, i) => {
      const key = isRemoveItem(item) ? undefined : itemIdentity(item, meta);
      if (key === undefined) return;
      const earlier = first.get(key);
      if (earlier === undefined) first.set(key, i);
      else ctx.report([...listPath, i, meta.key!], `duplicate ${meta.key} '${key}' (also at line ${positionOf(ctx.file, [...listPath, earlier]).line})`);
    });
  });
};

/** `remove` drops inherited entries, so it means nothing in a profile without a parent. */
export const removeNeedsParent: FileRule = (ctx) => {
  if (ctx.data.extends !== undefined) return;
  forEachMergeList(ctx.schema, ctx.data, (listPath, items) => {
    items.forEach((item, i) => {
      if (isRemoveItem(item)) ctx.report([...listPath, i], `'remove: ${item.remove}' needs a parent profile, and this one has no 'extends'`);
    });
  });
};

export const hookScriptOrCommand: FileRule = (ctx) => {
  eachHook(ctx, (hook, at) => {
    const hasScript = hook.script !== undefined;
    const hasCommand = hook.command !== undefined;
    if (hasScript && hasCommand) ctx.report(at, 'has both script and command: give exactly one');
    else if (!hasScript && !hasCommand) ctx.report(at, 'needs script (a file to run) or command (an argv): give exactly one');
    else if (hasCommand && hook.args !== undefined) ctx.report([...at, 'args'], 'args only go with script: put them in command');
  });
};

export const hookScriptsExist: FileRule = (ctx) => {
  eachHook(ctx, (hook, at) => {
    if (typeof hook.script !== 'string' || hook.script === '') return;
    const abs = hookScriptPath(hook.script, ctx.file.abs);
    if (isFile(abs)) return;
    const what = isDirectory(abs) ? 'is a folder, not a script' : 'does not exist';
    const hint = didYouMean(
      path.basename(abs),
      entriesOf(path.dirname(abs), (_, dir) => !dir),
    );
    ctx.report([...at, 'script'], `hook script ${displayPath(abs)} ${what}${hint}`);
  });
};

export const overlaysExist: FileRule = (ctx) => {
  const overlays = ctx.data.overlays;
  if (!Array.isArray(overlays)) return;
  overlays.forEach((value: unknown, i) => {
    if (typeof value !== 'string' || value === '') return;
    const abs = overlayPath(value, ctx.file.abs, ctx.repoRoot);
    if (isDirectory(abs)) return;
    const what = isFile(abs) ? 'is a file, not a folder' : 'does not exist';
    const hint = didYouMean(
      path.basename(abs),
      entriesOf(path.dirname(abs), (_, dir) => dir),
    );
    ctx.report(['overlays', i], `overlay folder ${displayPath(abs)} ${what}${hint}`);
  });
};

export const fileRules: readonly FileRule[] = [uniqueKeys, removeNeedsParent, hookScriptOrCommand, hookScriptsExist, overlaysExist];

function eachHook(ctx: FileRuleContext, visit: (hook: Record<string, unknown>, at: PathSeg[]) => void): void {
  const hooks = ctx.data.hooks;
  if (!Array.isArray(hooks)) return;
  hooks.forEach((hook: unknown, i) => {
    if (isRecord(hook) && !isRemoveItem(hook)) visit(hook, ['hooks', i]);
  });
}
