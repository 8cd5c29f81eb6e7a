// SPDX-License-Identifier: GPL-3.0-or-later
// `build-live doctor`: everything a build needs, checked before a build, each problem with its
// one-line fix. Exit code 1 when anything failed (warnings do not fail).
import path from 'node:path';
import { loadProfile } from '../features/index.js';
import { DEFAULT_CACHE_DIR, DEFAULT_OUT_DIR, DEFAULT_WORK_DIR, repoRoot } from '../paths.js';
import { cacheWritableCheck, loopCheck, privilegeCheck, toolChecks } from '../doctor/host-checks.js';
import { kvmCheck } from '../doctor/kvm-probe.js';
import { mirrorAndSpaceChecks } from '../doctor/archive-checks.js';
import type { CheckResult } from '../doctor/types.js';
import { helpText, parseCommand, type CommandSpec, type OptionTable } from './args.js';
import { setLogMode } from '../log.js';

const DOCTOR_OPTIONS = {
  profile: { type: 'string', arg: 'NAME|FILE', help: 'the profile whose mirror and disk space are checked (default: forensic)' },
  cache: { type: 'string', arg: 'DIR', help: `the stage cache to check (default: ${DEFAULT_CACHE_DIR})` },
  offline: { type: 'boolean', help: 'skip the mirror and disk space checks (no network)' },
} as const satisfies OptionTable;

export const DOCTOR: CommandSpec<typeof DOCTOR_OPTIONS> = {
  usage: 'build-live doctor [--profile NAME|FILE] [--cache DIR] [--offline] [--json]',
  about: `Check this host before a build: privileges, host tools and versions, loop devices, KVM (present
and usable, or the TCG fallback), the cache folder, and, unless --offline, the profile's mirror
(signed InRelease verified with gpgv) and the disk space a cold build of the profile needs
(estimated from the archive's package index). Default profile: forensic.`,
  options: DOCTOR_OPTIONS,
  common: { json: 'print one JSON document with every check' },
};

export const DOCTOR_HELP = helpText(DOCTOR);

export async function doctorCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(DOCTOR, argv);
  if (values.help) {
    process.stdout.write(DOCTOR_HELP + '\n');
    return 0;
  }
  // --json promises one JSON document on stdout: no command events in between.
  if (values.json) setLogMode('quiet');
  const cache = path.resolve(values.cache ?? DEFAULT_CACHE_DIR);
  const profile = await loadProfile(values.profile ?? 'forensic', { repoRoot: repoRoot() });
  const results: CheckResult[] = [privilegeCheck(), ...(await toolChecks()), loopCheck(), await kvmCheck(), await cacheWritableCheck(cache)];
  if (!values.offline) results.push(...(await mirrorAndSpaceChecks(profile, { cache, work: DEFAULT_WORK_DIR, out: DEFAULT_OUT_DIR })));
  const failed = results.filter((r) => r.status === 'fail').length;
  if (values.json) {
    process.stdout.write(JSON.stringify({ profile: profile.name, ok: failed === 0, checks: results }, null, 2) + '\n');
  } else {
    const mark = { ok: '✓', warn: '!', fail: '✗' } as const;
    for (const r of results) {
      process.stdout.write(`${mark[r.status]} ${r.name}: ${r.detail}\n`);
      if (r.fix) process.stdout.write(`    fix: ${r.fix}\n`);
    }
    process.stdout.write(failed ? `${failed} problem(s) must be fixed before building ${profile.name}\n` : `ready to build ${profile.name}\n`);
  }
  return failed ? 1 : 0;
}
