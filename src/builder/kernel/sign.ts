// SPDX-License-Identifier: GPL-3.0-or-later
// Signing with the kernel's own sign-file (from linux-kbuild, installed with the headers in the
// build tree), using the hash the kernel checks (CONFIG_MODULE_SIG_HASH). The key and certificate
// are copied into the build tree only for this, with mode 0600, and removed right after.
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import type { BuildTree } from './build-tree.js';
import type { StagedModule } from './compile.js';
import { hasSignature, signatureHash } from './modinfo.js';
import type { ModulePlan } from './plan.js';

const KEYS = 'root/forensic-live-signing';

/** Sign every staged module that carries no signature yet; returns how many were signed. */
export async function signModules(tree: BuildTree, plan: ModulePlan, modules: StagedModule[]): Promise<number> {
  if (!plan.signing || !modules.length) return 0;
  const kver = plan.kernelVersion;
  const signFile = await findSignFile(tree.root, kver);
  const hash = signatureHash(await readFile(path.join(tree.root, 'boot', `config-${kver}`), 'utf8').catch(() => ''));
  const keysDir = path.join(tree.root, KEYS);
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  let signed = 0;
  try {
    const key = path.join(keysDir, 'signing.key');
    const cert = path.join(keysDir, 'signing.crt');
    await copyFile(plan.signing.key.path, key);
    await copyFile(plan.signing.certificate.path, cert);
    await chmod(key, 0o600);
    for (const m of modules) {
      if (hasSignature(await readFile(m.file))) continue;
      const inTree = (p: string) => `/${path.relative(tree.root, p)}`;
      await tree.chroot.run([signFile, hash, inTree(key), inTree(cert), inTree(m.file)], { label: 'kernel-build:sign-file' });
      if (!hasSignature(await readFile(m.file))) throw new UserError(`sign-file reported success but ${m.name}.ko carries no signature`);
      signed++;
    }
  } finally {
    await rm(keysDir, { recursive: true, force: true });
  }
  return signed;
}

/** sign-file inside the tree: linux-kbuild-MAJOR.MINOR's, else the one the headers link to. */
async function findSignFile(root: string, kver: string): Promise<string> {
  const majorMinor = /^(\d+\.\d+)/.exec(kver)?.[1] ?? '';
  for (const p of [`/usr/lib/linux-kbuild-${majorMinor}/scripts/sign-file`, `/usr/src/linux-headers-${kver}/scripts/sign-file`, `/lib/modules/${kver}/build/scripts/sign-file`]) {
    if (existsSync(path.join(root, p))) return p;
  }
  throw new UserError(`no sign-file for kernel ${kver} in the build tree (linux-kbuild-${majorMinor})`);
}
