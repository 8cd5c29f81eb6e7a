// SPDX-License-Identifier: GPL-3.0-or-later
// The impostor of issue 12: an evidence disk that pretends to be this build's medium. One FAT
// partition (GRUB and live-boot both read FAT) carrying the real ISO's public markers (.disk/info,
// .disk/live-uuid, .disk/forensic-live-<build id>), its own boot/grub/grub.cfg that prints a
// tell-tale line, and live/ layers of its own under the genuine names. Whatever boots it shows:
// GRUB prints IMPOSTOR_LINE; a system booted from its layers has /etc/FORENSIC-LIVE-IMPOSTOR.
// Host tools only (util-linux sfdisk, dosfstools, mtools, squashfs-tools), no mount.
import { closeSync, copyFileSync, mkdtempSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { blankImage, sh } from './evidence.js';

export const IMPOSTOR_LINE = 'FORENSIC-LIVE-IMPOSTOR: the evidence disk supplies the boot menu';

export function impostorGrubCfg(): string {
  return ['serial --unit=0 --speed=115200', 'terminal_output console serial', `echo "${IMPOSTOR_LINE}"`, 'sleep 600', ''].join('\n');
}

/** Writes the impostor disk to `file` for build `buildId`; `layers` adds live/ squashfs layers of its own. */
export function impostorDisk(file: string, buildId: string, opts: { layers?: boolean } = {}): string {
  const work = mkdtempSync(path.join(tmpdir(), 'fl-impostor-'));
  try {
    const m = path.join(work, 'medium');
    mkdirSync(path.join(m, '.disk'), { recursive: true });
    mkdirSync(path.join(m, 'boot/grub'), { recursive: true });
    mkdirSync(path.join(m, 'live'), { recursive: true });
    writeFileSync(path.join(m, '.disk/info'), `forensic-live forensic (bookworm amd64) build ${buildId}\n`);
    writeFileSync(path.join(m, '.disk/live-uuid'), `${buildId}\n`);
    writeFileSync(path.join(m, `.disk/forensic-live-${buildId}`), `${buildId}\n`);
    writeFileSync(path.join(m, 'boot/grub/grub.cfg'), impostorGrubCfg());
    if (opts.layers) {
      const tree = path.join(work, 'tree');
      mkdirSync(path.join(tree, 'etc'), { recursive: true });
      writeFileSync(path.join(tree, 'etc/FORENSIC-LIVE-IMPOSTOR'), 'booted from the evidence disk\n');
      for (const layer of ['10-base.squashfs', '20-upper.squashfs']) {
        sh(['mksquashfs', tree, path.join(m, 'live', layer), '-quiet', '-noappend', '-comp', 'gzip', '-all-root']);
      }
      writeFileSync(path.join(m, 'live/filesystem.module'), '10-base.squashfs\n20-upper.squashfs\n');
    }
    blankImage(file, 64);
    sh(['sfdisk', '--quiet', file], 'label: dos\nstart=2048, type=c\n');
    sh(['mkfs.vfat', '--offset', '2048', '-n', 'EVIMPOSTOR', file, String(63 * 1024)]);
    const img = `${file}@@1M`;
    const env = { ...process.env, MTOOLS_SKIP_CHECK: '1' };
    const mt = (argv: string[]): void => {
      sh(['env', `MTOOLS_SKIP_CHECK=${env.MTOOLS_SKIP_CHECK}`, ...argv]);
    };
    mt(['mcopy', '-s', '-i', img, path.join(m, '.disk'), path.join(m, 'boot'), path.join(m, 'live'), '::/']);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return file;
}

/**
 * The impostor live-boot itself examines: a byte copy of the genuine ISO (same .disk markers, same
 * live-uuid, same file system UUID, same GRUB, kernel and initrds) whose upper squashfs layer is
 * replaced in place by one holding /etc/FORENSIC-LIVE-IMPOSTOR. Only the squashfs that layer's
 * extent starts with changes; the ISO's directory and sizes stay the genuine ones.
 */
export function impostorIsoCopy(genuineIso: string, file: string): { file: string; layer: string } {
  const work = mkdtempSync(path.join(tmpdir(), 'fl-impostor-iso-'));
  try {
    const module = path.join(work, 'filesystem.module');
    sh(['xorriso', '-osirrox', 'on', '-indev', genuineIso, '-extract', '/live/filesystem.module', module]);
    const layers = readFileSync(module, 'utf8').split('\n').filter(Boolean);
    const layer = layers[layers.length - 1]!;
    // "File data lba:  0 ,  START ,  BLOCKS ,  SIZE , '/live/NAME'" (2 KiB blocks)
    const report = sh(['xorriso', '-indev', genuineIso, '-find', `/live/${layer}`, '-exec', 'report_lba', '--']);
    const m = /File data lba:\s*0\s*,\s*(\d+)\s*,\s*\d+\s*,\s*(\d+)\s*,/.exec(report);
    if (!m) throw new Error(`impostorIsoCopy: no extent for /live/${layer} in ${genuineIso}:\n${report}`);
    const [start, size] = [Number(m[1]) * 2048, Number(m[2])];
    const tree = path.join(work, 'tree');
    mkdirSync(path.join(tree, 'etc'), { recursive: true });
    writeFileSync(path.join(tree, 'etc/FORENSIC-LIVE-IMPOSTOR'), 'booted from the impostor copy of the ISO\n');
    const sq = path.join(work, 'upper.squashfs');
    sh(['mksquashfs', tree, sq, '-quiet', '-noappend', '-comp', 'gzip', '-all-root']);
    const bytes = readFileSync(sq);
    if (bytes.length > size) throw new Error(`impostorIsoCopy: ${bytes.length} bytes do not fit the ${size} of /live/${layer}`);
    copyFileSync(genuineIso, file);
    const fd = openSync(file, 'r+');
    try {
      writeSync(fd, bytes, 0, bytes.length, start);
    } finally {
      closeSync(fd);
    }
    return { file, layer };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
