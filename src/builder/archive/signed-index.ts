// SPDX-License-Identifier: GPL-3.0-or-later
// The archive's chain of trust, for everything that reads the archive (the reference database,
// doctor's mirror and disk-space checks): a suite's InRelease verified with gpgv against Debian's
// archive keyring, keeping only the text the signature covers and the fingerprints that signed it,
// then the Packages indexes whose SHA256 it lists, each downloaded once into the cache and checked.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { parse, ParagraphStream } from 'debian-control';
import { run } from '../exec/run.js';
import { fileSha256 } from '../hash.js';
import { ARCHIVE_KEYRING } from '../stages/bootstrap-argv.js';

export async function download(url: string, file: string): Promise<void> {
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
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
  const text = Array.isArray(field) ? field.join(' ') : (field ?? '');
  return text
    .split(',')
    .map((d) => d.split('|').map((alt) => alt.trim().replace(/\s*\(.*\)$/, '').replace(/:any$/, '').replace(/\s*\[.*\]$/, '')).filter(Boolean))
    .filter((alts) => alts.length > 0);
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

export function releaseField(text: string, field: string): string | undefined {
  return new RegExp(`^${field}:[ \\t]*(.*)$`, 'm').exec(text)?.[1]?.trim();
}

/** Download and verify dists/SUITE/InRelease; throws unless gpgv reports a good signature. */
export async function fetchSignedRelease(
  mirror: string,
  suite: string,
  dir: string,
  keyring = ARCHIVE_KEYRING,
  /** Offline: verify the copy an earlier call downloaded instead of downloading (the signature is checked again). */
  opts: { cachedCopy?: boolean } = {},
): Promise<SignedRelease> {
  await mkdir(dir, { recursive: true });
  const inRelease = path.join(dir, 'InRelease');
  const signed = path.join(dir, 'Release.signed');
  if (opts.cachedCopy && !existsSync(inRelease)) throw new Error(`no earlier copy of ${mirror}/dists/${suite}/InRelease in ${dir}`);
  if (!opts.cachedCopy) await download(`${mirror}/dists/${suite}/InRelease`, inRelease);
  await rm(signed, { force: true });
  const r = await run(['gpgv', '--status-fd', '1', '--keyring', keyring, '--output', signed, inRelease], { allowFailure: true, label: 'gpgv' });
  const signedBy = [...r.stdout.matchAll(/^\[GNUPG:\] VALIDSIG \S+ .* (\S+)$/gm)].map((m) => m[1]!);
  if (r.exitCode !== 0 || signedBy.length === 0) {
    throw new Error(`${mirror}/dists/${suite}/InRelease: bad or missing signature (gpgv: ${r.stderr.trim().split('\n').pop()})`);
  }
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

/** COMPONENT/binary-ARCH/Packages.xz of a verified release, from the cache when its hash matches. */
export async function fetchPackagesIndex(rel: SignedRelease, component: string, arch: string, cacheDir: string): Promise<{ file: string; sha256: string }> {
  const name = `${component}/binary-${arch}/Packages.xz`;
  const want = sha256FromRelease(rel.text, name);
  if (!want) throw new Error(`the signed Release of ${rel.suite} does not list ${name}`);
  await mkdir(cacheDir, { recursive: true });
  const file = path.join(cacheDir, `Packages-${want}.xz`);
  if (existsSync(file) && (await fileSha256(file)) === want) return { file, sha256: want };
  const tmp = `${file}.partial-${process.pid}`;
  await download(`${rel.mirror}/dists/${rel.suite}/${name}`, tmp);
  if ((await fileSha256(tmp)) !== want) {
    await rm(tmp, { force: true });
    throw new Error(`${rel.suite} ${name} does not match the SHA256 in the signed Release`);
  }
  await rename(tmp, file);
  return { file, sha256: want };
}

/** Every paragraph of a Packages.xz, streamed through the system's xz. */
export async function readIndexPackages(xzFile: string): Promise<IndexPackage[]> {
  const out: IndexPackage[] = [];
  const xz = execa('xz', ['-dc'], { inputFile: xzFile, buffer: false });
  const paragraphs = new ParagraphStream({ readableObjectMode: true });
  xz.stdout!.pipe(paragraphs);
  for await (const chunk of paragraphs) {
    const p = parse(String(chunk));
    const str = (k: string) => (typeof p[k] === 'string' ? (p[k] as string) : '');
    if (!str('Package') || !/^[0-9a-f]{64}$/.test(str('SHA256'))) continue;
    out.push({
      name: str('Package'),
      version: str('Version'),
      arch: str('Architecture'),
      priority: str('Priority'),
      essential: str('Essential') === 'yes',
      filename: str('Filename'),
      sha256: str('SHA256'),
      size: Number(str('Size')),
      depends: [...parseDepends(p['Pre-Depends']), ...parseDepends(p.Depends)],
      provides: parseDepends(p.Provides).flat(),
      installedKiB: Number(str('Installed-Size')) || 0,
    });
  }
  await xz;
  return out;
}
