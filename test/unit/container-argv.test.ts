// SPDX-License-Identifier: GPL-3.0-or-later
// The exact command lines of the container runner (no engine can run them on the test machines).
import { describe, expect, it } from 'vitest';
import { buildImageArgv, imageTag, runArgv, type RunSpec } from '../../src/builder/container/argv.js';

const spec = (over: Partial<RunSpec> = {}): RunSpec => ({
  engine: 'docker',
  tag: 'localhost/forensic-live-builder:0123456789abcdef',
  repo: '/home/ann/forensic-live',
  cacheDir: '/var/cache/build-live',
  outDir: '/home/ann/forensic-live/out',
  profile: 'forensic',
  extraArgs: [],
  uid: 1000,
  gid: 1000,
  ...over,
});

describe('container runner', () => {
  it('keys the image by the Dockerfile and the lockfile', () => {
    expect(imageTag('FROM debian', '{}')).toMatch(/^localhost\/forensic-live-builder:[0-9a-f]{16}$/);
    expect(imageTag('FROM debian', '{}')).toBe(imageTag('FROM debian', '{}'));
    expect(imageTag('FROM debian', '{}')).not.toBe(imageTag('FROM debian', '{"x":1}'));
    expect(imageTag('FROM debian', '{}')).not.toBe(imageTag('FROM debian:bookworm', '{}'));
  });

  it('builds the image from the repository Dockerfile', () => {
    expect(buildImageArgv('podman', 't', '/r')).toEqual(['podman', 'build', '--tag', 't', '--file', '/r/Dockerfile', '/r']);
  });

  it('runs docker privileged with the repo, cache, work tree and output mounted, and gives the outputs back to the user', () => {
    const argv = runArgv(spec());
    expect(argv.slice(0, 4)).toEqual(['docker', 'run', '--rm', '--privileged']);
    const volumes = argv.flatMap((a, i) => (argv[i - 1] === '--volume' ? [a] : []));
    expect(volumes).toEqual([
      '/home/ann/forensic-live:/opt/forensic-live:ro',
      '/var/cache/build-live:/var/cache/build-live',
      '/var/cache/build-live/container-work:/var/tmp/build-live',
      '/home/ann/forensic-live/out:/out',
    ]);
    const image = argv.indexOf('localhost/forensic-live-builder:0123456789abcdef');
    expect(argv.slice(image - 2, image)).toEqual(['--entrypoint', 'node']);
    expect(argv.slice(image + 1)).toEqual([
      '/opt/forensic-live/bin/build-live.js',
      'build',
      '--profile',
      'forensic',
      '--out',
      '/out',
      '--cache',
      '/var/cache/build-live',
      '--work',
      '/var/tmp/build-live',
      '--chown',
      '1000:1000',
    ]);
  });

  it('maps a profile file inside the repository, and mounts one from elsewhere read-only', () => {
    expect(runArgv(spec({ profile: '/home/ann/forensic-live/profiles/my.yaml' }))).toContain('/opt/forensic-live/profiles/my.yaml');
    const argv = runArgv(spec({ profile: '/srv/profiles/site.yaml' }));
    expect(argv).toContain('/srv/profiles:/profile:ro');
    expect(argv[argv.indexOf('--profile') + 1]).toBe('/profile/site.yaml');
  });

  it("does not chown for rootless podman (files are already the user's) nor for root", () => {
    expect(runArgv(spec({ engine: 'podman' }))).not.toContain('--chown');
    expect(runArgv(spec({ uid: 0, gid: 0 }))).not.toContain('--chown');
  });

  it('passes the remaining build flags through', () => {
    expect(runArgv(spec({ extraArgs: ['--no-cache', '--json'] })).slice(-2)).toEqual(['--no-cache', '--json']);
  });
});
