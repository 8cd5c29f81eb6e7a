// SPDX-License-Identifier: GPL-3.0-or-later
// "debsums from the CD" on the booted forensic image: an ext4 disk image holding a real bookworm
// system (the cached mmdebstrap tree of test/e2e/80-verify-sweep) with a trojaned /bin/ls whose
// md5sums line was rewritten to match. The forensic guest mounts it with `responder mount`
// (read-only, noload) and runs `responder verify` against the image's own trusted reference;
// the findings come back on the results port. Used by test/e2e/50-forensic-evidence.test.ts,
// which also checks that the disk's sha256 is unchanged after the boot.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { findReferences, loadPackages, packageKey } from '../../src/responder/reference/load.js';
import { debianTree, unpackTree, type CachedTree } from './debian-tree.js';
import { SERVER_SPEC } from './server-tree.js';
import { blankImage, sh } from './evidence.js';

/** The server tree tests 80 and 81 cache (server-tree.ts): all of it is in the forensic profile's
 * reference (required + important + openssh-server, sudo, cron, python3 with dependencies). */
const SPEC = SERVER_SPEC;
export const VERIFY_SERIAL = 'EVVERIFY';

/** Package versions of the tree that the reference lacks (then the guest would say UNVERIFIABLE). */
async function uncovered(tree: CachedTree, referenceDir: string): Promise<string[]> {
  const wanted = new Set(tree.packages.map((p) => packageKey(p.name, p.version, p.arch)));
  const { found } = await loadPackages(findReferences([referenceDir]), wanted);
  return [...wanted].filter((k) => !found.has(k)).map((k) => k.replace(/\t/g, ' '));
}

/**
 * The tampered ext4 image, made in `file`. `referenceDir` is the forensic build's
 * NAME.reference/ (the same database the image carries): the tree must be fully covered by it.
 */
export async function verifyEvidenceDisk(file: string, referenceDir: string): Promise<string> {
  let tree = debianTree(SPEC);
  // A tree cached before a security update holds versions the archive dropped: make a new one.
  if ((await uncovered(tree, referenceDir)).length) tree = debianTree(SPEC, () => true);
  const missing = await uncovered(tree, referenceDir);
  if (missing.length) throw new Error(`the forensic reference does not cover the test tree: ${missing.join(', ')}`);
  const work = mkdtempSync(path.join(tmpdir(), 'fl-verify-disk-'));
  try {
    const root = unpackTree(tree.tarball, path.join(work, 'root'));
    const at = (p: string) => path.join(root, p);
    // The intruder's trojaned ls (here: another coreutils binary) and the md5sums line to match.
    copyFileSync(at('usr/bin/dir'), at('usr/bin/ls'));
    const md5 = createHash('md5')
      .update(readFileSync(at('usr/bin/ls')))
      .digest('hex');
    const sums = at('var/lib/dpkg/info/coreutils.md5sums');
    const text = readFileSync(sums, 'utf8');
    if (!/^[0-9a-f]{32}  bin\/ls$/m.test(text)) throw new Error(`no bin/ls line in ${sums}`);
    writeFileSync(sums, text.replace(/^[0-9a-f]{32}  bin\/ls$/m, `${md5}  bin/ls`));
    // mkfs.ext4 -d copies owners, modes and symlinks; a clean file system (no journal to replay).
    blankImage(file, 512);
    sh(['mkfs.ext4', '-q', '-F', '-L', VERIFY_SERIAL, '-d', root, file]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return file;
}

export function verifyDiskArg(file: string): string {
  return `file=${file},if=virtio,serial=${VERIFY_SERIAL}`;
}

/** Guest bash snippet (runs as root after the self-test): mount, verify, report, unmount. */
export const VERIFY_SCRIPT = `
# responder verify on the tampered Debian system (test/helpers/verify-evidence.ts)
vdev=$(for d in /sys/block/*; do [ "$(cat "$d/serial" 2>/dev/null)" = ${VERIFY_SERIAL} ] && echo "/dev/\${d##*/}"; done)
if [ -n "$vdev" ] && responder mount "$vdev" /mnt/verify-evidence; then
  responder verify /mnt/verify-evidence --json > /tmp/verify.json; echo "VERIFY-EXIT $?"
  jq -r '"VERIFY-PACKAGES claimed=\\(.packages.claimed) verified=\\(.packages.verified) unverifiable=\\(.packages.unverifiable) files=\\(.files.checked)"' /tmp/verify.json
  jq -r '.findings[] | "VERIFY-FINDING \\(.kind) \\(.path // .package) \\(.detail)"' /tmp/verify.json | head -n 40
  responder umount /mnt/verify-evidence || echo "VERIFY-UMOUNT failed"
else
  echo "VERIFY-DISK missing or not mounted: \${vdev:-none}"
fi
`;

/** The guest's verdict: exactly the trojaned ls, as MODIFIED and as TAMPERED-DB, every package checked. */
export function expectVerifyFindings(scriptOutput: string | undefined): void {
  const out = scriptOutput ?? '';
  expect(out).toMatch(/^VERIFY-EXIT 1$/m);
  expect(out).toMatch(/^VERIFY-PACKAGES claimed=(\d+) verified=\1 unverifiable=0 /m);
  const findings = [...out.matchAll(/^VERIFY-FINDING (\S+) (\S+)/gm)].map((m) => `${m[1]} ${m[2]}`).sort();
  expect(findings).toEqual(['MODIFIED /bin/ls', 'TAMPERED-DB /bin/ls']);
  expect(out).not.toMatch(/VERIFY-UMOUNT failed/);
}
