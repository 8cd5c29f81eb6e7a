// SPDX-License-Identifier: GPL-3.0-or-later
// Profile checks for the `kernel:` section: on each file, the folders and files it names exist
// (relative to that file); on the merged chain, one kernel only and no module both loaded and
// blacklisted. The vermagic of prebuilt modules is checked at build time, once the image's kernel
// version is known (kernel/plan.ts).
import path from 'node:path';
import { didYouMean } from '../profile/did-you-mean.js';
import type { FileRule } from '../profile/file-rules.js';
import type { MergedRule } from '../profile/merged-rules.js';
import { entriesOf, isDirectory, isFile } from '../profile/paths.js';
import { displayPath } from '../profile/positions.js';
import { isRecord, type PathSeg } from '../profile/schema-tools.js';
import { packageBase } from './profile.js';

/** A Kbuild folder: `make -C KDIR M=DIR` reads its Kbuild or Makefile. */
export const KBUILD_FILES = ['Kbuild', 'Makefile'];

function eachPath(ctx: Parameters<FileRule>[0], key: string, visit: (abs: string, at: PathSeg[]) => void): void {
  const kernel = ctx.data.kernel;
  if (!isRecord(kernel) || !Array.isArray(kernel[key])) return;
  (kernel[key] as unknown[]).forEach((value, i) => {
    if (typeof value !== 'string' || value === '') return;
    visit(path.resolve(path.dirname(ctx.file.abs), value), ['kernel', key, i]);
  });
}

function missing(abs: string, wantDir: boolean): string {
  const what = wantDir ? (isFile(abs) ? 'is a file, not a folder' : 'does not exist') : isDirectory(abs) ? 'is a folder, not a file' : 'does not exist';
  return `${what}${didYouMean(
    path.basename(abs),
    entriesOf(path.dirname(abs), (_, dir) => dir === wantDir),
  )}`;
}

export const kernelSourcesExist: FileRule = (ctx) => {
  eachPath(ctx, 'sources', (abs, at) => {
    if (!isDirectory(abs)) ctx.report(at, `module source folder ${displayPath(abs)} ${missing(abs, true)}`);
    else if (!KBUILD_FILES.some((f) => isFile(path.join(abs, f)))) ctx.report(at, `module source folder ${displayPath(abs)} has no Kbuild or Makefile`);
  });
};

export const kernelPrebuiltExist: FileRule = (ctx) => {
  eachPath(ctx, 'prebuilt', (abs, at) => {
    if (!abs.endsWith('.ko')) ctx.report(at, `prebuilt module ${displayPath(abs)} must be a .ko file (uncompressed)`);
    else if (!isFile(abs)) ctx.report(at, `prebuilt module ${displayPath(abs)} ${missing(abs, false)}`);
  });
};

export const kernelSigningFilesExist: FileRule = (ctx) => {
  const kernel = ctx.data.kernel;
  const signing = isRecord(kernel) ? kernel.signing : undefined;
  if (!isRecord(signing)) return;
  for (const key of ['key', 'certificate']) {
    const value = signing[key];
    if (typeof value !== 'string' || value === '') continue;
    const abs = path.resolve(path.dirname(ctx.file.abs), value);
    if (!isFile(abs)) ctx.report(['kernel', 'signing', key], `signing ${key} ${displayPath(abs)} ${missing(abs, false)}`);
  }
};

export const kernelFileRules: readonly FileRule[] = [kernelSourcesExist, kernelPrebuiltExist, kernelSigningFilesExist];

/** The image boots one kernel: another linux-image-* in `packages` would be a second one. */
export const oneKernel: MergedRule = ({ profile, report }) => {
  const kernel = packageBase(profile.kernel.package);
  profile.packages.forEach((p, i) => {
    const name = packageBase(p);
    if (name.startsWith('linux-image-') && name !== kernel) {
      report(['packages', i], `'${name}' is a second kernel (kernel.package is '${kernel}'): set kernel.package: ${name} instead`);
    }
  });
};

export const loadNotBlacklisted: MergedRule = ({ profile, report }) => {
  const blocked = new Set(profile.kernel.blacklist);
  for (const key of ['load', 'initramfs'] as const) {
    profile.kernel[key].forEach((m, i) => {
      if (blocked.has(m)) report(['kernel', key, i], `module '${m}' is also in kernel.blacklist: keep it in one of the two`);
    });
  }
};

export const kernelRules: readonly MergedRule[] = [oneKernel, loadNotBlacklisted];
