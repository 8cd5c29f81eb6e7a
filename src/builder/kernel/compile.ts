// SPDX-License-Identifier: GPL-3.0-or-later
// Building modules in the build tree with Debian's own tools: `dkms add` + `dkms build` for DKMS
// packages, Kbuild (`make -C /lib/modules/KVER/build M=DIR modules`) for source folders. Built
// .ko files are collected in a staging folder inside the tree. A failing build names the module
// and carries the compiler's output tail.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { CommandError, UserError } from '../errors.js';
import { run, tail } from '../exec/run.js';
import type { InjectedModule } from './records.js';
import type { BuildTree } from './build-tree.js';
import { parseDkmsConf } from './modinfo.js';
import type { ModulePlan } from './plan.js';

/** A module in the staging folder (a path inside the build tree), with where it came from. */
export interface StagedModule {
  name: string;
  source: InjectedModule['source'];
  /** Absolute host path of the .ko. */
  file: string;
}

/** Inside the build tree: where built modules wait to be signed and copied out. */
export const STAGING = 'var/tmp/forensic-live-modules';
const SOURCES = 'usr/src/forensic-live';

export async function buildDkmsPackages(tree: BuildTree, plan: ModulePlan): Promise<StagedModule[]> {
  const out: StagedModule[] = [];
  for (const d of plan.dkms) {
    const listing = (await tree.chroot.run(['dpkg-query', '--listfiles', d.package], { label: 'kernel-build:dpkg' })).stdout;
    const conf = listing.split('\n').find((l) => /^\/usr\/src\/[^/]+\/dkms\.conf$/.test(l));
    if (!conf) throw new UserError(`kernel.dkms: ${d.package} ${d.version} has no /usr/src/*/dkms.conf: not a DKMS package`);
    const folder = path.basename(path.dirname(conf));
    const id = parseDkmsConf(await readFile(path.join(tree.root, conf), 'utf8')) ?? splitFolder(folder);
    await tree.chroot.run(['dkms', 'add', '-m', id.name, '-v', id.version], { label: 'kernel-build:dkms' });
    const argv = ['dkms', 'build', '-m', id.name, '-v', id.version, '-k', plan.kernelVersion];
    const r = await tree.chroot.run(argv, { label: 'kernel-build:dkms', allowFailure: true });
    if (r.exitCode !== 0) {
      const makeLog = path.join(tree.root, 'var/lib/dkms', id.name, id.version, 'build/make.log');
      const output = existsSync(makeLog) ? await readFile(makeLog, 'utf8') : r.stdout + r.stderr;
      throw new CommandError(
        ['chroot', tree.root, ...argv],
        r.exitCode,
        tail(output),
        `kernel module package ${d.package} ${d.version} failed to build for ${plan.kernelVersion}, exit code ${r.exitCode}`,
      );
    }
    const builtDir = await dkmsModuleDir(tree.root, id, plan.kernelVersion);
    for (const ko of (await readdir(builtDir)).filter((f) => f.endsWith('.ko')).sort()) {
      out.push(await stage(tree, path.join(builtDir, ko), { kind: 'package', package: d.package, version: d.version }));
    }
    if (!out.some((m) => m.source.package === d.package)) throw new UserError(`kernel.dkms: dkms built no .ko file for ${d.package} (compressed modules are not supported)`);
  }
  return out;
}

export async function buildSourceFolders(tree: BuildTree, plan: ModulePlan): Promise<StagedModule[]> {
  const out: StagedModule[] = [];
  for (const [i, s] of plan.sources.entries()) {
    const inTree = `/${SOURCES}/${i}-${path.basename(s.path)}`;
    await mkdir(path.join(tree.root, inTree), { recursive: true });
    await run(['cp', '--recursive', '--no-dereference', '--preserve=mode,timestamps,links', `${s.path}/.`, path.join(tree.root, inTree)], { label: 'kernel-build' });
    const argv = ['make', '-C', `/lib/modules/${plan.kernelVersion}/build`, `M=${inTree}`, 'modules'];
    const r = await tree.chroot.run(argv, { label: 'kernel-build:make', allowFailure: true });
    if (r.exitCode !== 0) {
      throw new CommandError(
        ['chroot', tree.root, ...argv],
        r.exitCode,
        tail(r.stdout + r.stderr),
        `kernel module folder ${s.source} failed to build for ${plan.kernelVersion}, exit code ${r.exitCode}`,
      );
    }
    const built = await findModules(path.join(tree.root, inTree));
    if (!built.length) throw new UserError(`kernel.sources: building ${s.source} made no .ko file (does its Kbuild file set obj-m?)`);
    for (const ko of built) {
      await tree.chroot.run(['strip', '--strip-debug', `/${path.relative(tree.root, ko)}`], { label: 'kernel-build:strip' });
      out.push(await stage(tree, ko, { kind: 'folder', path: s.source }));
    }
  }
  return out;
}

/** Copy a .ko into the staging folder of the tree, refusing two modules of the same name. */
export async function stage(tree: { root: string } | string, ko: string, source: InjectedModule['source']): Promise<StagedModule> {
  const dir = typeof tree === 'string' ? tree : path.join(tree.root, STAGING);
  await mkdir(dir, { recursive: true });
  const name = path.basename(ko, '.ko');
  const file = path.join(dir, `${name}.ko`);
  if (existsSync(file)) throw new UserError(`two kernel modules are named ${name}: the second comes from ${source.package ?? source.path}`);
  await copyFile(ko, file);
  return { name, source, file };
}

async function dkmsModuleDir(root: string, id: { name: string; version: string }, kver: string): Promise<string> {
  const base = path.join(root, 'var/lib/dkms', id.name, id.version, kver);
  for (const arch of await readdir(base).catch(() => [])) {
    const dir = path.join(base, arch, 'module');
    if (existsSync(dir)) return dir;
  }
  throw new UserError(`dkms reported success for ${id.name} ${id.version} but ${base}/*/module is missing`);
}

function splitFolder(folder: string): { name: string; version: string } {
  const m = /^(.+?)-(\d.*)$/.exec(folder);
  if (!m) throw new UserError(`cannot tell the DKMS module name and version from /usr/src/${folder}`);
  return { name: m[1]!, version: m[2]! };
}

async function findModules(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await findModules(p)));
    else if (e.isFile() && e.name.endsWith('.ko')) out.push(p);
  }
  return out.sort();
}
