// SPDX-License-Identifier: GPL-3.0-or-later
// The archive's chain of trust, for everything that reads the archive (the builder's reference
// database and doctor checks, and `responder verify --mirror`): a suite's InRelease verified with
// gpgv against Debian's archive keyring, keeping only the text the signature covers and the
// fingerprints that signed it; then the Packages indexes whose SHA256 it lists, each downloaded
// once into a cache and checked; then files (.debs) by the SHA256 a checked index gives.
// Shared by builder and responder: node built-ins, the system's gpgv and xz.
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileSha256 } from '../hash.js';
import { downloadFile } from '../net/download.js';
import { runArgv, type ArgvRunner } from '../run-argv.js';
import { decompressRange } from './decompress.js';
import { parseParagraph, streamParagraphs } from './deb822.js';

export const ARCHIVE_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

/** The archive's trust chain refused something: the message names the URL and the reason. */
export class ArchiveTrustError extends Error {
  override name = 'ArchiveTrustError';
}

/** The SHA256 of one index file as a Release file lists it. */
export function sha256FromRelease(release: string, indexPath: string): string | undefined {
  const section = release.split(/^SHA256:\s*$/m)[1] ?? '';
  for (const line of section.split('\n')) {
    if (!line.startsWith(' ')) {
      if (line.trim()) break;
      continue;
    }
    const [hash, , name] = line.trim().split(/\s+/);
    if (name === indexPath) return hash;
  }
  return undefined;
}

/** Depends-style fields: each dependency a list of alternatives, versions and qualifiers dropped. */
export function parseDepends(field: string | string[] | undefined): string[][] {
  // A folded field's lines are one value (deb822.ts joins them with newlines).
  const text = (Array.isArray(field) ? field.join(' ') : (field ?? '')).replace(/\n/g, ' ');
  return text
    .split(',')
    .map((d) =>
      d
        .split('|')
        .map((alt) =>
          alt
            .trim()
            .replace(/\s*\(.*\)$/, '')
            .replace(/:any$/, '')
            .replace(/\s*\[.*\]$/, ''),
        )
        .filter(Boolean),
    )
    .filter((alts) => alts.length > 0);
}

export function releaseField(text: string, field: string): string | undefined {
  return new RegExp(`^${field}:[ \\t]*(.*)$`, 'm').exec(text)?.[1]?.trim();
}

export interface SignedRelease {
  suite: string;
  mirror: string;
  /** Only the signed text (gpgv --output), never what surrounds the signature. */
  text: string;
  inReleaseSha256: string;
  /** Primary key fingerprints of the good signatures (gpgv VALIDSIG). */
  signedBy: string[];
  date: string;
  validUntil?: string;
}

export interface IndexPackage {
  name: string;
  version: string;
  arch: string;
  priority: string;
  essential: boolean;
  filename: string;
  sha256: string;
  size: number;
  depends: string[][];
  provides: string[];
  installedKiB: number;
}

export interface ReleaseOptions {
  keyring?: string;
  /** How gpgv is run (the builder logs it through its command runner). */
  run?: ArgvRunner;
  /** Offline: verify the copy an earlier call downloaded instead of downloading (the signature is checked again). */
  cachedCopy?: boolean;
}

/** Download and verify dists/SUITE/InRelease into DIR; throws unless gpgv reports a good signature. */
export async function fetchSignedRelease(mirror: string, suite: string, dir: string, opts: ReleaseOptions = {}): Promise<SignedRelease> {
  const keyring = opts.keyring ?? ARCHIVE_KEYRING;
  const url = `${mirror}/dists/${suite}/InRelease`;
  if (!existsSync(keyring)) throw new ArchiveTrustError(`${keyring}: keyring not found (Debian package: debian-archive-keyring)`);
  await mkdir(dir, { recursive: true });
  // DIR/InRelease is always the last copy that verified: a new one is downloaded beside it and
  // takes its place only once gpgv accepted it (an offline build falls back to it: cachedCopy).
  const inRelease = path.join(dir, 'InRelease');
  const signed = path.join(dir, 'Release.signed');
  if (opts.cachedCopy && !existsSync(inRelease)) throw new ArchiveTrustError(`no earlier copy of ${url} in ${dir}`);
  const candidate = opts.cachedCopy ? inRelease : `${inRelease}.new-${process.pid}`;
  if (!opts.cachedCopy) await downloadFile(url, candidate, 60_000);
  await rm(signed, { force: true });
  const r = await (opts.run ?? runArgv)(['gpgv', '--status-fd', '1', '--keyring', keyring, '--output', signed, candidate]);
  const signedBy = [...r.stdout.matchAll(/^\[GNUPG:\] VALIDSIG \S+ .* (\S+)$/gm)].map((m) => m[1]!);
  if (r.exitCode !== 0 || signedBy.length === 0) {
    if (candidate !== inRelease) await rm(candidate, { force: true });
    throw new ArchiveTrustError(`${url}: bad or missing signature, refused (gpgv with ${keyring}: ${r.stderr.trim().split('\n').pop() || `exit ${r.exitCode}`})`);
  }
  if (candidate !== inRelease) await rename(candidate, inRelease);
  const text = await readFile(signed, 'utf8');
  return {
    suite,
    mirror,
    text,
    inReleaseSha256: await fileSha256(inRelease),
    signedBy: [...new Set(signedBy)].sort(),
    date: releaseField(text, 'Date') ?? '',
    validUntil: releaseField(text, 'Valid-Until'),
  };
}

/**
 * `url` into DIR/NAME, trusted only when its sha256 is `want`: a cached file is hashed again
 * before use, and a download appears under its final name only once it matched.
 */
export async function fetchByHash(url: string, want: string, file: string): Promise<{ file: string; downloaded: boolean }> {
  if (existsSync(file) && (await fileSha256(file)) === want) return { file, downloaded: false };
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.partial-${process.pid}`;
  await downloadFile(url, tmp);
  const got = await fileSha256(tmp);
  if (got !== want) {
    await rm(tmp, { force: true });
    throw new ArchiveTrustError(`${url}: SHA256 ${got} does not match the signed index (${want}), refused`);
  }
  await rename(tmp, file);
  return { file, downloaded: true };
}

/** COMPONENT/binary-ARCH/Packages.xz of a verified release, from the cache when its hash matches. */
export async function fetchPackagesIndex(rel: SignedRelease, component: string, arch: string, cacheDir: string): Promise<{ file: string; sha256: string }> {
  const name = `${component}/binary-${arch}/Packages.xz`;
  const want = sha256FromRelease(rel.text, name);
  if (!want) throw new ArchiveTrustError(`${rel.mirror}/dists/${rel.suite}/InRelease: the signed Release does not list ${name}`);
  const { file } = await fetchByHash(`${rel.mirror}/dists/${rel.suite}/${name}`, want, path.join(cacheDir, `Packages-${want}.xz`));
  return { file, sha256: want };
}

/**
 * Every paragraph of a Packages.xz, streamed through the system's xz. With `wantName`, only the
 * paragraphs of those package names are parsed (a suite has tens of thousands).
 */
export async function readIndexPackages(xzFile: string, wantName?: (name: string) => boolean): Promise<IndexPackage[]> {
  const out: IndexPackage[] = [];
  const { stream, done } = decompressRange(xzFile, 0, statSync(xzFile).size, 'xz');
  try {
    for await (const text of streamParagraphs(stream)) {
      if (wantName && !wantName(/^Package:[ \t]*(\S+)/m.exec(text)?.[1] ?? '')) continue;
      const p = parseParagraph(text);
      const str = (k: string) => p.get(k) ?? '';
      if (!str('package') || !/^[0-9a-f]{64}$/.test(str('sha256'))) continue;
      out.push({
        name: str('package'),
        version: str('version'),
        arch: str('architecture'),
        priority: str('priority'),
        essential: str('essential') === 'yes',
        filename: str('filename'),
        sha256: str('sha256'),
        size: Number(str('size')),
        depends: [...parseDepends(p.get('pre-depends')), ...parseDepends(p.get('depends'))],
        provides: parseDepends(p.get('provides')).flat(),
        installedKiB: Number(str('installed-size')) || 0,
      });
    }
  } catch (err) {
    done.catch(() => {}); // the reader stopped early: xz's broken pipe is not the error
    throw err;
  }
  await done;
  return out;
}
