// SPDX-License-Identifier: GPL-3.0-or-later
// The open case: DIR/case.json describes it (id, examiner, evidence ids), and a pointer in
// /run/responder/case.json (RAM: gone at power-off, so a new boot starts with no case open until
// `responder case open` is run again) makes later commands write into DIR by default.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ResponderError } from '../lib/errors.js';
import { stateDir } from '../lib/state-dir.js';
import { CASE_FILE } from './journal.js';

export interface CaseInfo {
  case: string;
  examiner: string;
  evidence: string[];
  notes?: string;
  opened: string;
  tool: string;
}

export interface OpenCase extends CaseInfo {
  dir: string;
}

const pointerFile = () => path.join(stateDir(), 'case.json');

export function readCaseInfo(dir: string): CaseInfo {
  let text: string;
  try {
    text = readFileSync(path.join(dir, CASE_FILE), 'utf8');
  } catch {
    throw new ResponderError(`${dir}: not a case folder (no ${CASE_FILE})`, 1, 'open one with: responder case open DIR --case ID --examiner NAME --evidence ID');
  }
  try {
    return JSON.parse(text) as CaseInfo;
  } catch {
    throw new ResponderError(`${path.join(dir, CASE_FILE)}: not valid JSON`);
  }
}

/** The pointer's folder, if a case was opened on this boot (the folder may be gone: unmounted). */
export function pointedCaseDir(): string | undefined {
  try {
    const p = JSON.parse(readFileSync(pointerFile(), 'utf8')) as { dir?: unknown };
    return typeof p.dir === 'string' ? p.dir : undefined;
  } catch {
    return undefined;
  }
}

/** The open case, or undefined; a pointer to a missing folder is an error naming it. */
export function activeCase(): OpenCase | undefined {
  const dir = pointedCaseDir();
  if (!dir) return undefined;
  let info: CaseInfo;
  try {
    info = readCaseInfo(dir);
  } catch {
    throw new ResponderError(`the open case folder ${dir} is not there (collection disk unmounted?)`, 1, 'mount it again, or: responder case close');
  }
  return { ...info, dir };
}

export function setPointer(dir: string): void {
  mkdirSync(stateDir(), { recursive: true, mode: 0o755 });
  writeFileSync(pointerFile(), JSON.stringify({ dir }) + '\n', { mode: 0o644 });
}

export function clearPointer(): void {
  rmSync(pointerFile(), { force: true });
}

/** A file name for a command's output in the case folder: PREFIX-20260102T030405Z.EXT. */
export function stampedName(prefix: string, ext: string, when = new Date()): string {
  return `${prefix}-${when
    .toISOString()
    .replace(/[:-]/g, '')
    .replace(/\.\d+Z$/, 'Z')}.${ext}`;
}

/** The open case, or undefined also when its folder is gone (for commands given explicit paths). */
export function activeCaseIfThere(): OpenCase | undefined {
  try {
    return activeCase();
  } catch {
    return undefined;
  }
}
