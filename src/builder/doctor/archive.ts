// SPDX-License-Identifier: GPL-3.0-or-later
// The mirror check and the disk-space estimate: download the suite's InRelease, verify it with
// gpgv against Debian's archive keyring, then read the Packages index it vouches for (hash
// checked) to add up the installed size of the profile's package set with its dependencies.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { parse, ParagraphStream } from 'debian-control';
import { run } from '../exec/run.js';
import { ARCHIVE_KEYRING } from '../stages/bootstrap-argv.js';

export interface PackageInfo {
  installedKiB: number;
  priority: string;
  essential: boolean;
  /** Each dependency is a list of alternatives (package names, versions dropped). */
  depends: string[][];
  provides: string[];
}

export async function download(url: string, file: string): Promise<void> {
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
}

/** gpgv checks the clear-signed InRelease against the keyring; throws when the signature is not good. */
export async function verifyInRelease(file: string, keyring = ARCHIVE_KEYRING): Promise<string> {
  const r = await run(['gpgv', '--keyring', keyring, file], { allowFailure: true, label: 'gpgv' });
  if (r.exitCode !== 0) throw new Error(`bad or missing signature on ${path.basename(file)}: ${r.stderr.trim().split('\n').pop()}`);
  return (await readFile(file, 'utf8'));
}

/** The SHA256 of one index file as InRelease lists it. */
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

export function parseDepends(field: string | string[] | undefined): string[][] {
  const text = Array.isArray(field) ? field.join(' ') : (field ?? '');
  return text
    .split(',')
    .map((d) => d.split('|').map((alt) => alt.trim().replace(/\s*\(.*\)$/, '').replace(/:any$/, '').replace(/\s*\[.*\]$/, '')).filter(Boolean))
    .filter((alts) => alts.length > 0);
}

/** Stream-decompress Packages.xz with the system's xz and parse every paragraph. */
export async function readPackages(xzFile: string): Promise<Map<string, PackageInfo>> {
  const packages = new Map<string, PackageInfo>();
  const xz = execa('xz', ['-dc'], { inputFile: xzFile, buffer: false });
  // Object mode on the readable side keeps each paragraph a separate chunk (otherwise they merge).
  const paragraphs = new ParagraphStream({ readableObjectMode: true });
  xz.stdout!.pipe(paragraphs);
  for await (const chunk of paragraphs) {
    const p = parse(String(chunk));
    const name = p.Package;
    if (typeof name !== 'string') continue;
    packages.set(name, {
      installedKiB: Number(p['Installed-Size'] ?? 0),
      priority: String(p.Priority ?? ''),
      essential: p.Essential === 'yes',
      depends: [...parseDepends(p['Pre-Depends']), ...parseDepends(p.Depends)],
      provides: parseDepends(p.Provides).flat(),
    });
  }
  await xz;
  return packages;
}

const VARIANT_PRIORITIES: Record<string, string[]> = { minbase: ['required'], apt: ['required'], important: ['required', 'important'], standard: ['required', 'important', 'standard'] };

/** The package set mmdebstrap would install (first satisfiable alternative), and its installed size. */
export function estimateInstall(index: Map<string, PackageInfo>, variant: string, include: string[]): { packages: number; installedKiB: number; unknown: string[] } {
  const providers = new Map<string, string>();
  for (const [name, info] of index) for (const v of info.provides) if (!providers.has(v)) providers.set(v, name);
  const wanted = new Set<string>();
  const unknown: string[] = [];
  const priorities = VARIANT_PRIORITIES[variant] ?? ['required'];
  const seeds = [...index].filter(([, i]) => i.essential || (variant !== 'minbase' && priorities.includes(i.priority))).map(([n]) => n);
  if (variant === 'minbase' || variant === 'apt') seeds.push('apt');
  const queue = [...seeds, ...include.map((p) => p.split('=')[0]!)];
  while (queue.length) {
    const name = queue.pop()!;
    const real = index.has(name) ? name : providers.get(name);
    if (!real) {
      unknown.push(name);
      continue;
    }
    if (wanted.has(real)) continue;
    wanted.add(real);
    for (const alts of index.get(real)!.depends) {
      if (alts.some((a) => wanted.has(a))) continue;
      queue.push(alts.find((a) => index.has(a) || providers.has(a)) ?? alts[0]!);
    }
  }
  let installedKiB = 0;
  for (const n of wanted) installedKiB += index.get(n)!.installedKiB;
  return { packages: wanted.size, installedKiB, unknown };
}

export async function fileSha256(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Fetch and verify the suite's InRelease, then its main Packages index; cached by InRelease content. */
export async function fetchIndex(mirror: string, suite: string, arch: string, cacheDir: string): Promise<{ release: string; packagesXz: string }> {
  const dir = path.join(cacheDir, 'doctor', suite);
  await mkdir(dir, { recursive: true });
  const inRelease = path.join(dir, 'InRelease');
  await download(`${mirror}/dists/${suite}/InRelease`, inRelease);
  const release = await verifyInRelease(inRelease);
  const rel = `main/binary-${arch}/Packages.xz`;
  const want = sha256FromRelease(release, rel);
  if (!want) throw new Error(`InRelease of ${suite} does not list ${rel}`);
  const packagesXz = path.join(dir, `Packages-${want.slice(0, 16)}.xz`);
  const have = await fileSha256(packagesXz).catch(() => '');
  if (have !== want) {
    await download(`${mirror}/dists/${suite}/${rel}`, packagesXz);
    if ((await fileSha256(packagesXz)) !== want) throw new Error(`${rel} does not match the hash in the signed InRelease`);
  }
  return { release, packagesXz };
}
