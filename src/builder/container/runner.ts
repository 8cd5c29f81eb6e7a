// SPDX-License-Identifier: GPL-3.0-or-later
// `build-live --container [docker|podman|auto] --profile X`: run the whole build inside the
// project's builder image, building that image first when it is missing or stale.
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { UserError, formatArgv } from '../errors.js';
import { log } from '../log.js';
import { run } from '../exec/run.js';
import { onPath } from '../pipeline/preflight.js';
import { buildImageArgv, imageTag, runArgv, type Engine } from './argv.js';

export function chooseEngine(wanted: string): Engine {
  if (wanted !== 'auto' && wanted !== 'docker' && wanted !== 'podman') {
    throw new UserError(`--container ${wanted}: expected docker, podman or auto`, undefined, 2);
  }
  const candidates: Engine[] = wanted === 'auto' ? ['podman', 'docker'] : [wanted];
  const found = candidates.find((e) => onPath(e));
  if (!found) {
    throw new UserError(`no container engine found (${candidates.join(' or ')})`, 'install podman or docker (Debian/Ubuntu: apt-get install podman; Fedora: dnf install podman)');
  }
  return found;
}

export interface ContainerBuild {
  engine: string;
  repo: string;
  cacheDir: string;
  outDir: string;
  profile: string;
  extraArgs: string[];
}

export async function runInContainer(b: ContainerBuild): Promise<number> {
  const engine = chooseEngine(b.engine);
  const tag = imageTag(readFileSync(path.join(b.repo, 'Dockerfile')), readFileSync(path.join(b.repo, 'package-lock.json')));
  const inspect = await run([engine, 'image', 'inspect', tag], { allowFailure: true, label: engine });
  if (inspect.exitCode !== 0) {
    log.info(`building the builder image ${tag} (once per Dockerfile and lockfile)...`);
    await streamed(buildImageArgv(engine, tag, b.repo));
  }
  await mkdir(path.join(b.cacheDir, 'container-work'), { recursive: true });
  await mkdir(b.outDir, { recursive: true });
  const argv = runArgv({ engine, tag, repo: b.repo, cacheDir: b.cacheDir, outDir: b.outDir, profile: b.profile, extraArgs: b.extraArgs, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 });
  return streamed(argv, true);
}

/** Long-running engine commands show their own progress: pass the terminal through. */
async function streamed(argv: string[], returnCode = false): Promise<number> {
  log.info(`$ ${formatArgv(argv)}`);
  const r = await run(argv, { stdio: 'inherit', allowFailure: true });
  const code = r.exitCode;
  if (code !== 0 && !returnCode) throw new UserError(`${argv[0]} ${argv[1]} failed with exit code ${code}`);
  return code;
}
