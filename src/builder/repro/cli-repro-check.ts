// SPDX-License-Identifier: GPL-3.0-or-later
// `build-live repro-check --profile X`: build the profile twice into separate work trees, the
// second time without the stage cache, with one SOURCE_DATE_EPOCH, and say whether the two ISOs
// are bit-identical or which files differ.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { helpText, parseCommand, requireProfile, type CommandSpec, type OptionTable } from '../cli/args.js';
import { loadProfile } from '../features/index.js';
import { DEFAULT_CACHE_DIR, DEFAULT_OUT_DIR, repoRoot } from '../paths.js';
import { run } from '../exec/run.js';
import { log, setLogMode } from '../log.js';
import { UserError } from '../errors.js';
import { resolveSourceDateEpoch } from './epoch.js';
import { compareIsos, type IsoDifference } from './compare.js';

const REPRO_CHECK_OPTIONS = {
  profile: { type: 'string', arg: 'NAME|FILE', help: 'the profile (as for build)' },
  out: { type: 'string', arg: 'DIR', help: 'where both builds go: DIR/first, DIR/second (default: ./out/repro-PROFILE)' },
  cache: { type: 'string', arg: 'DIR', help: `stage cache for the first build (default: ${DEFAULT_CACHE_DIR})` },
} as const satisfies OptionTable;

export const REPRO_CHECK: CommandSpec<typeof REPRO_CHECK_OPTIONS> = {
  usage: 'build-live repro-check --profile NAME|FILE [options]',
  about: `Build the profile twice into separate work trees (the second time with --no-cache, so every stage
runs again) with the same SOURCE_DATE_EPOCH, and report whether the two ISOs are bit-identical.
When they differ: diffoscope's report if diffoscope is installed, otherwise the list of differing
files inside the ISOs and inside their squashfs layers. Exit 0 identical, 1 different.`,
  options: REPRO_CHECK_OPTIONS,
  common: { json: 'print one JSON object with the verdict' },
};

export const REPRO_CHECK_HELP = helpText(REPRO_CHECK);

interface BuildRecord {
  iso: { file: string; sha256: string };
}

export async function reproCheckCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(REPRO_CHECK, argv);
  if (values.help) {
    process.stdout.write(REPRO_CHECK_HELP + '\n');
    return 0;
  }
  // --json promises one JSON object on stdout: no progress events in between.
  if (values.json) setLogMode('quiet');
  const root = repoRoot();
  const ref = requireProfile(values.profile);
  const profile = await loadProfile(ref, { repoRoot: root });
  const outDir = path.resolve(values.out ?? path.join(DEFAULT_OUT_DIR, `repro-${profile.name}`));
  const cacheDir = path.resolve(values.cache ?? DEFAULT_CACHE_DIR);
  // One timestamp for both builds, even if the archive's InRelease changes in between.
  const sde = await resolveSourceDateEpoch(profile, { repoRoot: root, cacheDir });
  const profileArg = ref.includes('/') || ref.endsWith('.yaml') ? path.resolve(ref) : ref;
  const builds = [
    { name: 'first', extra: [] as string[] },
    { name: 'second', extra: ['--no-cache'] },
  ];
  const records: BuildRecord[] = [];
  for (const b of builds) {
    const out = path.join(outDir, b.name);
    await rm(out, { recursive: true, force: true });
    await mkdir(out, { recursive: true });
    log.info(`repro-check: ${b.name} build of ${profile.name}${b.extra.length ? ' without the stage cache' : ''} into ${out}`);
    const cli = path.join(root, 'bin/build-live.js');
    const r = await run([process.execPath, cli, 'build', '--profile', profileArg, '--out', out, '--cache', cacheDir, '--work', path.join(outDir, `work-${b.name}`), '--json', ...b.extra], {
      label: `build-${b.name}`,
      env: { SOURCE_DATE_EPOCH: String(sde.epoch) },
      allowFailure: true,
    });
    if (r.exitCode !== 0) throw new UserError(`repro-check: the ${b.name} build failed (exit ${r.exitCode}); its log: ${path.join(out, `${profile.name}.build.log`)}`);
    records.push(JSON.parse(readFileSync(path.join(out, `${profile.name}.build.json`), 'utf8')) as BuildRecord);
  }
  const [a, b] = records as [BuildRecord, BuildRecord];
  const isoA = path.join(outDir, 'first', a.iso.file);
  const isoB = path.join(outDir, 'second', b.iso.file);
  const identical = a.iso.sha256 === b.iso.sha256;
  let diff: IsoDifference | undefined;
  let diffoscope: string | undefined;
  if (!identical) ({ diff, diffoscope } = await explain(isoA, isoB, outDir));
  const verdict = {
    profile: profile.name,
    identical,
    sourceDateEpoch: sde,
    first: { iso: isoA, sha256: a.iso.sha256 },
    second: { iso: isoB, sha256: b.iso.sha256 },
    ...(diff ? { differences: diff } : {}),
    ...(diffoscope ? { diffoscope } : {}),
  };
  if (values.json) process.stdout.write(JSON.stringify(verdict) + '\n');
  else process.stdout.write(summary(verdict));
  return identical ? 0 : 1;
}

async function explain(isoA: string, isoB: string, outDir: string): Promise<{ diff: IsoDifference; diffoscope?: string }> {
  const scratch = path.join(outDir, 'compare');
  await rm(scratch, { recursive: true, force: true });
  let diffoscope: string | undefined;
  if (existsSync('/usr/bin/diffoscope')) {
    diffoscope = path.join(outDir, 'diffoscope.txt');
    await run(['diffoscope', '--text', diffoscope, isoA, isoB], { label: 'diffoscope', allowFailure: true, timeoutMs: 30 * 60_000 });
  }
  try {
    return { diff: await compareIsos(isoA, isoB, scratch), diffoscope };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

function summary(v: {
  profile: string;
  identical: boolean;
  sourceDateEpoch: { epoch: number; from: string };
  first: { sha256: string };
  second: { sha256: string };
  differences?: IsoDifference;
  diffoscope?: string;
}): string {
  const lines = [`repro-check ${v.profile}: SOURCE_DATE_EPOCH ${v.sourceDateEpoch.epoch} (${v.sourceDateEpoch.from})`];
  if (v.identical) {
    lines.push(`identical: both builds are sha256 ${v.first.sha256}`);
  } else {
    lines.push(`DIFFERENT: first ${v.first.sha256}, second ${v.second.sha256}`);
    for (const p of v.differences?.paths ?? []) lines.push(`  differs: ${p}`);
    if (v.differences?.firstByte !== undefined) lines.push(`  every file matches; the images first differ at byte ${v.differences.firstByte} (system area, volume descriptors or the ESP)`);
    if (v.diffoscope) lines.push(`  diffoscope report: ${v.diffoscope}`);
  }
  return lines.join('\n') + '\n';
}
