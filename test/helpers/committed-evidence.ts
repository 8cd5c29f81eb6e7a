// SPDX-License-Identifier: GPL-3.0-or-later
// Evidence only a guest can make (this host's kernel has no apfs, md or device-mapper driver; login
// records need a booted system where logins happened). Making it costs an image build and a boot,
// so it is made once by `scripts/make-test-fixtures` (test/fixture-makers/) with the real tools in
// a real guest, and committed under test/fixtures/evidence: NAME.tar.xz and NAME.json (the maker's
// key, every regular file's sha256, how it was made, and facts the maker recorded for the tests).
// One manifest format for every fixture (apfs-gpt, raid-lvm, guest-logins). A test run builds and
// boots nothing for them. When a maker changes, its key changes and
// test/unit/evidence-fixtures.test.ts fails until the fixture is made again, so a committed image
// never silently disagrees with its script.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CACHE_DIR, REPO } from './e2e.js';
import { sh, sha256File } from './evidence.js';

export const FIXTURE_DIR = path.join(REPO, 'test/fixtures/evidence');

export interface FixtureManifest<Facts = undefined> {
  /** sha256 prefix of what made the files (the maker script and its parameters, see makerKey). */
  key: string;
  /** Every regular file in NAME.tar.xz -> sha256 of its content. */
  files: Record<string, string>;
  /** How and with what the files were made (one line, for people). */
  madeBy: string;
  made: string;
  /** What the maker recorded for the tests that read the fixture (guest-logins: tool versions, ssh key). */
  facts?: Facts;
}

/** The key of a maker: its script and parameters, hashed. */
export function makerKey(parts: unknown): string {
  return createHash('sha256')
    .update(typeof parts === 'string' ? parts : JSON.stringify(parts))
    .digest('hex')
    .slice(0, 16);
}

export function readManifest<Facts = undefined>(name: string): FixtureManifest<Facts> {
  return JSON.parse(readFileSync(path.join(FIXTURE_DIR, `${name}.json`), 'utf8')) as FixtureManifest<Facts>;
}

export function fixtureTarball(name: string): string {
  return path.join(FIXTURE_DIR, `${name}.tar.xz`);
}

/** The regular files a tarball holds (directories left out), as its manifest must list them. */
export function tarFiles(tarball: string): string[] {
  const names = execFileSync('tar', ['-tf', tarball], { encoding: 'utf8', maxBuffer: 1 << 26 })
    .trim()
    .split('\n');
  return names.filter((n) => n !== '' && !n.endsWith('/')).sort();
}

/** Extracts the committed fixture into `dir` (made fresh, modification times kept) and checks every file against its manifest. */
export function extractFixture(name: string, dir: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  sh(['tar', '-xJf', fixtureTarball(name), '-C', dir, '--no-same-owner']);
  checkFiles(name, dir, readManifest(name).files);
  return dir;
}

function checkFiles(name: string, dir: string, files: Record<string, string>): void {
  for (const [file, sha] of Object.entries(files)) {
    const got = sha256File(path.join(dir, file));
    if (got !== sha) throw new Error(`test/fixtures/evidence/${name}.tar.xz: ${file} has sha256 ${got}, the manifest says ${sha}`);
  }
}

/** Writes NAME.json for files a maker left in `dir` (the tarball is written by the caller). */
export function writeManifest<Facts>(name: string, key: string, dir: string, files: readonly string[], madeBy: string, facts?: Facts): FixtureManifest<Facts> {
  const manifest: FixtureManifest<Facts> = {
    key,
    files: Object.fromEntries(files.map((f) => [f, sha256File(path.join(dir, f))])),
    madeBy,
    made: new Date().toISOString().slice(0, 10),
    ...(facts === undefined ? {} : { facts }),
  };
  writeFileSync(path.join(FIXTURE_DIR, `${name}.json`), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The folder holding the committed fixture's files, extracted once per cache (tmp + check +
 * rename, so a half-extracted or altered set is never used). Throws when the committed fixture was
 * made by another version of its maker (`key`).
 */
export function committedFixture(name: string, key: string): string {
  const manifest = readManifest(name);
  if (manifest.key !== key) {
    throw new Error(`test/fixtures/evidence/${name} was made by another maker script (key ${manifest.key}, now ${key}): run scripts/make-test-fixtures ${name}`);
  }
  const dir = path.join(CACHE_DIR, 'test-evidence', `${name}-${key}`);
  if (existsSync(path.join(dir, '.complete'))) return dir;
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  sh(['tar', '-xJf', fixtureTarball(name), '-C', tmp]);
  checkFiles(name, tmp, manifest.files);
  writeFileSync(path.join(tmp, '.complete'), `${new Date().toISOString()}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}

/** Packs files made by a maker into the committed fixture NAME (sparse tar.xz + manifest). */
export function packFixture(name: string, key: string, dir: string, files: string[], madeBy: string): void {
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const tarball = fixtureTarball(name);
  // Stable metadata, so remaking identical images gives an identical tarball.
  sh(['tar', '--sparse', '--sort=name', '--owner=0', '--group=0', '--numeric-owner', '--mtime=@0', '-cJf', `${tarball}.tmp`, '-C', dir, ...files]);
  renameSync(`${tarball}.tmp`, tarball);
  writeManifest(name, key, dir, files, madeBy);
}
