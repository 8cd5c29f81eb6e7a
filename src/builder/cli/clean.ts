// SPDX-License-Identifier: GPL-3.0-or-later
// `build-live clean`: remove work trees (after unmounting anything a killed build left), and with
// --cache also the stage cache.
import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { unmountAllBelow } from '../exec/mounts.js';
import { UserError } from '../errors.js';
import { log } from '../log.js';
import { DEFAULT_CACHE_DIR, DEFAULT_WORK_DIR } from '../paths.js';
import { helpText, parseCommand, type CommandSpec, type OptionTable } from './args.js';

const CLEAN_OPTIONS = {
  work: { type: 'string', arg: 'DIR', help: `the work trees to remove (default: ${DEFAULT_WORK_DIR})` },
  cache: { type: 'string', arg: 'DIR', help: `the stage cache --all removes (default: ${DEFAULT_CACHE_DIR})` },
  all: { type: 'boolean', help: 'also remove the stage cache' },
} as const satisfies OptionTable;

export const CLEAN: CommandSpec<typeof CLEAN_OPTIONS> = {
  usage: 'build-live clean [--work DIR] [--cache DIR] [--all]',
  about: `Remove the work trees (default ${DEFAULT_WORK_DIR}); with --all also the stage cache
(default ${DEFAULT_CACHE_DIR}), so the next build is cold.`,
  options: CLEAN_OPTIONS,
};

export const CLEAN_HELP = helpText(CLEAN);

export async function cleanCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(CLEAN, argv);
  if (values.help) {
    process.stdout.write(CLEAN_HELP + '\n');
    return 0;
  }
  if (process.getuid?.() !== 0) throw new UserError('build-live clean must run as root (work trees hold root-owned files and may hold mounts)');
  const work = path.resolve(values.work ?? DEFAULT_WORK_DIR);
  const targets = [work];
  if (values.all) targets.push(path.resolve(values.cache ?? DEFAULT_CACHE_DIR));
  for (const dir of targets) {
    if (!existsSync(dir)) continue;
    const locks = (await readdir(dir)).filter((n) => n.endsWith('.lock'));
    if (dir === work && locks.length) throw new UserError(`a build seems to be running (${locks.join(', ')} in ${dir}); not cleaning`);
    await unmountAllBelow(dir);
    await rm(dir, { recursive: true, force: true });
    log.info(`removed ${dir}`);
  }
  return 0;
}
