// SPDX-License-Identifier: GPL-3.0-or-later
// The container runner's command lines, as pure functions (the exact argv is unit-tested, since
// the machines this project is tested on have no container engine that can run them).
import { createHash } from 'node:crypto';
import path from 'node:path';

export type Engine = 'docker' | 'podman';

/** Where things are inside the builder image (see Dockerfile). */
export const IN_CONTAINER = {
  repo: '/opt/forensic-live',
  cache: '/var/cache/build-live',
  work: '/var/tmp/build-live',
  out: '/out',
  profileDir: '/profile',
};

/** The image tag: stale exactly when the Dockerfile or the lockfile changed. */
export function imageTag(dockerfile: string | Buffer, lockfile: string | Buffer): string {
  const h = createHash('sha256').update(dockerfile).update('\0').update(lockfile).digest('hex');
  return `localhost/forensic-live-builder:${h.slice(0, 16)}`;
}

export function buildImageArgv(engine: Engine, tag: string, repo: string): string[] {
  return [engine, 'build', '--tag', tag, '--file', path.join(repo, 'Dockerfile'), repo];
}

export interface RunSpec {
  engine: Engine;
  tag: string;
  repo: string;
  cacheDir: string;
  outDir: string;
  /** The profile as the user gave it: a name, or an absolute path to a YAML file. */
  profile: string;
  /** Further build-live build flags (already without --profile/--out/--cache/--work/--container). */
  extraArgs: string[];
  /** The calling user; outputs are chowned to them unless the engine runs rootless (already theirs). */
  uid: number;
  gid: number;
}

/**
 * `docker run`/`podman run` for one build. Why each privilege: the build runs mmdebstrap in root
 * mode and mounts proc, sysfs, devpts, tmpfs and an overlay file system inside the image tree,
 * which needs CAP_SYS_ADMIN without the default seccomp/AppArmor mount filters: --privileged.
 * Rootless podman's --privileged only grants the capabilities of the user's own user namespace.
 * The work tree is a bind mount from the cache volume, because overlayfs cannot use the
 * container's own overlay root as its upper directory.
 */
export function runArgv(s: RunSpec): string[] {
  const rootless = s.engine === 'podman' && s.uid !== 0;
  const argv = [s.engine, 'run', '--rm', '--privileged'];
  argv.push('--volume', `${s.repo}:${IN_CONTAINER.repo}:ro`);
  argv.push('--volume', `${s.cacheDir}:${IN_CONTAINER.cache}`);
  argv.push('--volume', `${path.join(s.cacheDir, 'container-work')}:${IN_CONTAINER.work}`);
  argv.push('--volume', `${s.outDir}:${IN_CONTAINER.out}`);
  let profile = s.profile;
  if (path.isAbsolute(profile)) {
    const rel = path.relative(s.repo, profile);
    if (!rel.startsWith('..') && !path.isAbsolute(rel)) profile = path.posix.join(IN_CONTAINER.repo, rel);
    else {
      argv.push('--volume', `${path.dirname(profile)}:${IN_CONTAINER.profileDir}:ro`);
      profile = path.posix.join(IN_CONTAINER.profileDir, path.basename(profile));
    }
  }
  argv.push('--workdir', IN_CONTAINER.repo, '--entrypoint', 'node', s.tag, `${IN_CONTAINER.repo}/bin/build-live.js`);
  argv.push('build', '--profile', profile, '--out', IN_CONTAINER.out, '--cache', IN_CONTAINER.cache, '--work', IN_CONTAINER.work);
  if (!rootless && s.uid !== 0) argv.push('--chown', `${s.uid}:${s.gid}`);
  argv.push(...s.extraArgs);
  return argv;
}
