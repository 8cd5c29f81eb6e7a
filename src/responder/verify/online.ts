// SPDX-License-Identifier: GPL-3.0-or-later
// The online step of `responder verify --mirror URL`: the claimed versions that no local reference
// covers are looked up in the evidence's suites on the mirror (reference/mirror.ts). The cache
// folder must be outside the evidence; any break in the chain of trust stops verify (exit 2).
import { existsSync, mkdirSync } from 'node:fs';
import { ARCHIVE_KEYRING } from '../../shared/debian/archive.js';
import { ResponderError, UsageError } from '../lib/errors.js';
import { readEvidenceText, type RootResolver } from '../evidence/root-path.js';
import { outsideEvidence } from '../evidence/outside.js';
import type { ClaimedPackage } from '../evidence/dpkg.js';
import { packageKey, type TrustedPackage } from '../reference/load.js';
import { packagesFromMirror, type MirrorResult } from '../reference/mirror.js';
import { codenameOf, mirrorSuites } from '../reference/mirror-suites.js';

/** Where downloads go unless --cache says otherwise (on the live image /var/tmp is in RAM). */
export const DEFAULT_MIRROR_CACHE = '/var/tmp/responder-mirror';

export interface OnlineOptions {
  mirror: string;
  securityMirror?: string;
  suites: string[];
  keyring?: string;
  cache?: string;
}

export async function fetchOnline(opts: OnlineOptions, r: RootResolver, claimed: ClaimedPackage[], found: Map<string, TrustedPackage>): Promise<MirrorResult & { mirror: string }> {
  const cacheDir = outsideEvidence(opts.cache ?? DEFAULT_MIRROR_CACHE, r.root, '--cache');
  const keyring = opts.keyring ?? ARCHIVE_KEYRING;
  if (!existsSync(keyring)) throw new UsageError(`--keyring ${keyring}: no such file`, "Debian's archive keyring is /usr/share/keyrings/debian-archive-keyring.gpg (package debian-archive-keyring)");
  const codename = codenameOf(readEvidenceText(r, '/etc/os-release', 1 << 16) ?? readEvidenceText(r, '/usr/lib/os-release', 1 << 16));
  const suites = mirrorSuites({ mirror: opts.mirror, securityMirror: opts.securityMirror, suites: opts.suites, codename });
  const missing = claimed.filter((c) => !found.has(packageKey(c.name, c.version, c.arch)));
  if (missing.length === 0) return { added: [], releases: [], downloaded: 0, mirror: opts.mirror };
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  try {
    const res = await packagesFromMirror({ suites, keyring, cacheDir, missing });
    for (const t of res.added) found.set(packageKey(t.pkg.name, t.pkg.version, t.pkg.arch), t);
    return { ...res, mirror: opts.mirror };
  } catch (err) {
    if (err instanceof ResponderError || err instanceof UsageError) throw err;
    throw new ResponderError(`--mirror: ${(err as Error).message}`, 2);
  }
}
