// SPDX-License-Identifier: GPL-3.0-or-later
// `build-live [build] --profile NAME|FILE`: profile -> bootable hybrid ISO.
import { chown, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { FEATURES, loadProfile, STAGES } from '../features/index.js';
import { log } from '../log.js';
import { setBuildLog } from '../exec/run.js';
import { CleanupStack, unwindOnSignals } from '../exec/cleanup.js';
import { unmountAllBelow } from '../exec/mounts.js';
import { StageCache } from '../pipeline/cache.js';
import { BuildContext } from '../pipeline/context.js';
import { runPipeline } from '../pipeline/run-pipeline.js';
import { assertHostReady, hostProblems, toolVersions } from '../pipeline/preflight.js';
import { verifyStages } from '../pipeline/verify.js';
import { DEFAULT_CACHE_DIR, DEFAULT_OUT_DIR, DEFAULT_WORK_DIR, repoRoot } from '../paths.js';
import { acquireLock } from './lock.js';
import { helpText, parseCommand, requireProfile, type CommandSpec, type OptionTable } from './args.js';
import { UserError, ValidationError } from '../errors.js';
import { runInContainer } from '../container/runner.js';
import { resolveSourceDateEpoch } from '../repro/epoch.js';
import { prepareSigner } from '../sign/gpg.js';

/** Cache entries no build has used for this long are removed after a successful build. */
const CACHE_MAX_AGE_DAYS = 30;

const BUILD_OPTIONS = {
  profile: { type: 'string', arg: 'NAME|FILE', help: 'a profile in profiles/ (e.g. forensic, minimal) or a path to a YAML file' },
  out: { type: 'string', arg: 'DIR', help: 'where the ISO and its companions go (default: ./out)' },
  cache: { type: 'string', arg: 'DIR', help: `stage cache (default: ${DEFAULT_CACHE_DIR})` },
  work: { type: 'string', arg: 'DIR', help: `scratch space for work trees (default: ${DEFAULT_WORK_DIR})` },
  'dry-run': { type: 'boolean', help: "check the profile, its files and the host (every stage's verify step), build nothing" },
  'no-cache': { type: 'boolean', help: 'ignore cached stages (a cold build); fresh entries are still cached\n(entries unused for 30 days are removed after each successful build)' },
  container: {
    type: 'string',
    arg: 'ENGINE',
    help: 'run the build inside the builder image (docker, podman or auto), building\nthe image first when the Dockerfile or lockfile changed; for non-Debian hosts',
  },
  chown: { type: 'string', arg: 'UID:GID', help: 'give the output files to this user (the container runner passes it)' },
  sign: {
    type: 'string',
    arg: 'KEYID',
    help: 'sign SHA256SUMS with this secret key from your gpg keyring (SHA256SUMS.sign,\na detached armored OpenPGP signature); checked before the build starts',
  },
  'sign-key': {
    type: 'string',
    arg: 'FILE',
    help: 'sign with the secret key in FILE (imported into a temporary keyring that is\nremoved afterwards; with --sign, KEYID picks one key from FILE)',
  },
} as const satisfies OptionTable;

export const BUILD: CommandSpec<typeof BUILD_OPTIONS> = {
  usage: 'build-live [build] --profile NAME|FILE [options]',
  about: 'Build a bootable hybrid ISO (BIOS + UEFI, CD + USB) from a profile.',
  optionsTitle: true,
  options: BUILD_OPTIONS,
  common: { json: true, verbose: true, help: true },
  footer: `Outputs in --out: PROFILE.iso, PROFILE.cdx.json (CycloneDX SBOM), SHA256SUMS (+ SHA256SUMS.sign),
PROFILE.packages, PROFILE.build.json, PROFILE.build.log`,
};

export const BUILD_HELP = helpText(BUILD);

export async function buildCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(BUILD, argv);
  if (values.help) {
    process.stdout.write(BUILD_HELP + '\n');
    return 0;
  }
  const root = repoRoot();
  const profileRef = requireProfile(values.profile);
  const profile = await loadProfile(profileRef, { repoRoot: root });
  const outDir = path.resolve(values.out ?? DEFAULT_OUT_DIR);
  const cacheDir = path.resolve(values.cache ?? DEFAULT_CACHE_DIR);
  const sign = { keyId: values.sign, keyFile: values['sign-key'] };
  if (values.container !== undefined) {
    if (sign.keyId !== undefined || sign.keyFile !== undefined)
      throw new UserError('--sign and --sign-key do not work with --container yet', 'build in the container, then sign on the host: gpg --armor --detach-sign --output SHA256SUMS.sign SHA256SUMS', 2);
    const isPath = profileRef.includes('/') || profileRef.endsWith('.yaml');
    const extraArgs = [...(values['no-cache'] ? ['--no-cache'] : []), ...(values.json ? ['--json'] : []), ...(values.verbose ? ['--verbose'] : [])];
    return runInContainer({ engine: values.container, repo: root, cacheDir, outDir, profile: isPath ? path.resolve(profileRef) : profileRef, extraArgs });
  }
  const workRoot = path.resolve(values.work ?? DEFAULT_WORK_DIR);
  const noCache = Boolean(values['no-cache']);
  const options = { profile, repoRoot: root, outDir, cacheDir, workRoot, noCache, features: FEATURES };
  // Every stage's verify step, before anything is bootstrapped: all problems at once.
  const problems = await verifyStages(STAGES, { profile, opts: options });
  if (problems.length) throw new ValidationError([...problems, ...hostProblems(profile.boot.firmware)]);
  assertHostReady(profile.boot.firmware);
  if (values['dry-run']) {
    log.info(`${profile.name}: ${STAGES.length} stages verified (${STAGES.map((st) => st.name).join(', ')}); nothing built (--dry-run)`);
    return 0;
  }
  const owner = parseOwner(values.chown);
  await mkdir(outDir, { recursive: true });

  const cleanup = new CleanupStack();
  const stopSignals = unwindOnSignals(cleanup);
  const unlock = await acquireLock(workRoot, profile.name);
  cleanup.push('release lock', unlock);
  const buildLog = path.join(outDir, `${profile.name}.build.log`);
  await rm(buildLog, { force: true });
  setBuildLog(buildLog);
  try {
    const signer = await prepareSigner({ keyId: sign.keyId, keyFile: sign.keyFile && path.resolve(sign.keyFile) }, cleanup);
    const cache = new StageCache(cacheDir, !noCache);
    await cache.removeStale();
    const sde = await resolveSourceDateEpoch(profile, { repoRoot: root, cacheDir });
    const ctx = new BuildContext({ ...options, signer }, cache, cleanup, await toolVersions(root), sde);
    // Every command of the build (mmdebstrap, chroot commands, mksquashfs, mtools, xorriso) reads it.
    process.env.SOURCE_DATE_EPOCH = String(sde.epoch);
    log.info(`SOURCE_DATE_EPOCH ${sde.epoch} (${new Date(sde.epoch * 1000).toISOString()}) from the ${sde.from}`);
    // A build that was killed may have left mounts in this profile's work tree.
    await unmountAllBelow(ctx.workDir);
    cleanup.push('unmount work tree', () => unmountAllBelow(ctx.workDir));
    const started = Date.now();
    await runPipeline(ctx, STAGES);
    for (const entry of await cache.prune(CACHE_MAX_AGE_DAYS)) log.info(`cache: removed ${entry} (unused for ${CACHE_MAX_AGE_DAYS} days)`);
    const { iso, sha256, bytes: size } = ctx.get('published');
    log.emit({ event: 'result', iso, sha256, bytes: size, durationMs: Date.now() - started, buildId: ctx.get('upperLayer').buildId });
    log.info(`built ${path.relative(process.cwd(), iso) || iso} (${(size / 1e6).toFixed(0)} MB, sha256 ${sha256}) in ${((Date.now() - started) / 1000).toFixed(0)}s`);
    return 0;
  } catch (err) {
    log.info(`build log: ${buildLog}`);
    throw err;
  } finally {
    await cleanup.unwind();
    stopSignals();
    setBuildLog(undefined);
    if (owner) await chownOutputs(outDir, profile.name, owner);
  }
}

function parseOwner(value: string | undefined): { uid: number; gid: number } | undefined {
  if (value === undefined) return undefined;
  const m = /^(\d+):(\d+)$/.exec(value);
  if (!m) throw new UserError(`--chown ${value}: expected UID:GID (numbers)`, undefined, 2);
  return { uid: Number(m[1]), gid: Number(m[2]) };
}

/** Outputs belong to the user who asked for them, not to root inside a container. */
async function chownOutputs(outDir: string, name: string, owner: { uid: number; gid: number }): Promise<void> {
  const files = [`${name}.iso`, `${name}.cdx.json`, `${name}.packages`, `${name}.build.json`, `${name}.build.log`, 'SHA256SUMS', 'SHA256SUMS.sign'];
  await chown(outDir, owner.uid, owner.gid).catch(() => undefined);
  for (const f of files) await chown(path.join(outDir, f), owner.uid, owner.gid).catch(() => undefined);
}
