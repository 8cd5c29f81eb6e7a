// SPDX-License-Identifier: GPL-3.0-or-later
// The initramfs side of "who picks the medium" (issue 12, item 2), at unit level: the real
// overlays/forensic/usr/lib/live/boot/9995-forensic-live.sh is sourced by dash in a chroot made of
// the host's own binaries (the paths it uses, /conf, /proc/cmdline, /run, /dev/kmsg, are the
// initramfs's), and live-boot's matches_uuid is asked about a candidate medium mounted the way
// live-boot mounts it. It accepts this build's layers and refuses a copy whose layer differs, with
// the console message; the copy's file system UUID (the genuine one) is taken back out of
// live-boot's "already tried" list, so the genuine medium is still looked at. This is also the
// control for the boot tests: the same hook refuses a wrong hash, so a boot that shows no refusal
// can only mean the impostor was never examined. Needs root (mount namespace, chroot).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HOOK = path.resolve('overlays/forensic/usr/lib/live/boot/9995-forensic-live.sh');
const TOOLS = ['dash', 'cat', 'awk', 'tail', 'grep', 'cut', 'sha256sum', 'tr', 'wc', 'mkdir', 'mv', 'blkid'];
const BUILD_ID = '0123456789abcdef';
const root = mkdtempSync(path.join(tmpdir(), 'fl-hook-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sha = (b: string): string => createHash('sha256').update(b).digest('hex');

/** Copies a host binary and the libraries ldd lists into the chroot. */
function install(tool: string): void {
  const bin = execFileSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { encoding: 'utf8' }).trim();
  const files = [bin, ...execFileSync('ldd', [bin], { encoding: 'utf8' }).matchAll(/(\/\S+)/g)].map((m) => (typeof m === 'string' ? m : m[1]!));
  for (const f of files) {
    mkdirSync(path.join(root, path.dirname(f)), { recursive: true });
    copyFileSync(f, path.join(root, f));
  }
  mkdirSync(path.join(root, 'bin'), { recursive: true });
  if (!existsSync(path.join(root, 'bin', tool))) copyFileSync(bin, path.join(root, 'bin', tool));
}

beforeAll(() => {
  for (const t of TOOLS) install(t);
  for (const d of ['conf', 'proc', 'dev', 'run', 'medium', 'var/lib/live/boot', 'lib/live/boot']) mkdirSync(path.join(root, d), { recursive: true });
  copyFileSync(HOOK, path.join(root, 'lib/live/boot/9995-forensic-live.sh'));
  writeFileSync(path.join(root, 'conf/uuid.conf'), `${BUILD_ID}\n`);
  const layers = { 'live/filesystem.module': '10-base.squashfs\n20-upper.squashfs\n', 'live/10-base.squashfs': 'base\n', 'live/20-upper.squashfs': 'upper\n' };
  writeFileSync(
    path.join(root, 'conf/forensic-live-layers.sha256'),
    Object.entries(layers)
      .map(([f, c]) => `${sha(c)}  ${f}\n`)
      .join(''),
  );
  writeFileSync(path.join(root, 'cmdline'), 'BOOT_IMAGE=/live/vmlinuz boot=live forensic read-only\n');
  // The candidate's "device": a file with an ext4 superblock carrying the genuine ISO's UUID stand-in.
  execFileSync('truncate', ['-s', '2M', path.join(root, 'dev/sdz')]);
  execFileSync('mkfs.ext4', ['-q', '-F', '-U', '6f1c1b1e-0000-4000-8000-000000000001', path.join(root, 'dev/sdz')]);
});

interface Run {
  code: number;
  kmsg: string;
  tried: string;
  refused: string;
  verified: string;
}

/**
 * Mounts a tmpfs named /dev/sdz at /medium holding `files` (as live-boot's check_dev leaves a
 * candidate mounted) and runs `calls` (shell, after sourcing the hook) in the chroot.
 */
function run(files: Record<string, string>, calls: string, fresh = true): Run {
  if (fresh) {
    for (const f of ['dev/kmsg', 'var/lib/live/boot/devices-already-tried-to-mount']) rmSync(path.join(root, f), { force: true });
    rmSync(path.join(root, 'run/forensic-live'), { recursive: true, force: true });
  }
  writeFileSync(path.join(root, 'dev/kmsg'), '', { flag: 'a' });
  const uuid = execFileSync('blkid', ['-o', 'value', '-s', 'UUID', path.join(root, 'dev/sdz')], { encoding: 'utf8' }).trim();
  writeFileSync(path.join(root, 'var/lib/live/boot/devices-already-tried-to-mount'), `${uuid}\n`, { flag: 'a' });
  const populate = Object.entries(files)
    .map(([f, c]) => `mkdir -p "$R/medium/${path.dirname(f)}" && printf '%s' '${c}' >"$R/medium/${f}"`)
    .join(' && ');
  const inner = `. /lib/live/boot/9995-forensic-live.sh; ${calls}`;
  const script = [
    'set -e',
    'mount -t proc proc "$R/proc"',
    'mount --bind "$R/cmdline" "$R/proc/cmdline"',
    'mount -t tmpfs /dev/sdz "$R/medium"',
    populate || 'true',
    'set +e',
    `chroot "$R" /bin/dash -c '${inner}'`,
    'echo "rc=$?"',
  ].join('\n');
  const out = execFileSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], { encoding: 'utf8', env: { ...process.env, R: root } });
  const read = (f: string): string => (existsSync(path.join(root, f)) ? readFileSync(path.join(root, f), 'utf8') : '');
  return {
    code: Number(/rc=(\d+)\s*$/.exec(out)?.[1] ?? -1),
    kmsg: read('dev/kmsg'),
    tried: read('var/lib/live/boot/devices-already-tried-to-mount'),
    refused: read('run/forensic-live/refused'),
    verified: read('run/forensic-live/medium-verified'),
  };
}

const genuine = { '.disk/live-uuid': `${BUILD_ID}\n`, 'live/filesystem.module': '10-base.squashfs\n20-upper.squashfs\n', 'live/10-base.squashfs': 'base\n', 'live/20-upper.squashfs': 'upper\n' };

describe('9995-forensic-live.sh: matches_uuid in forensic mode', () => {
  it('accepts a medium whose layers have the build sha256, and records it', () => {
    const r = run(genuine, 'matches_uuid /medium');
    expect(r.code).toBe(0);
    expect(r.verified).toMatch(/^\/dev\/sdz 3 files match the build's sha256 \(\d+ s\)/);
    expect(r.kmsg).toMatch(/^<2>forensic-live: medium \/dev\/sdz: layers match this build's sha256/m);
  });

  it("refuses a copy with this build's markers but another upper layer, naming the device and the file", () => {
    const r = run({ ...genuine, 'live/20-upper.squashfs': 'impostor\n' }, 'matches_uuid /medium');
    expect(r.code).toBe(1);
    expect(r.kmsg).toMatch(/^<2>forensic-live: refusing medium \/dev\/sdz: its live system is not this build's: live\/20-upper\.squashfs: FAILED/m);
    expect(r.verified).toBe('');
    // The copy's UUID is the genuine medium's: it must not stay in live-boot's "already tried" list.
    expect(r.tried.trim()).toBe('');
    expect(r.refused).toBe('/dev/sdz\n');
  });

  it('refuses the same device again on the next scan without hashing it again or repeating the message', () => {
    run({ ...genuine, 'live/20-upper.squashfs': 'impostor\n' }, 'matches_uuid /medium');
    // Second scan, same device now holding the genuine files: hashed again, it would be accepted.
    const r = run(genuine, 'matches_uuid /medium', false);
    expect(r.code).toBe(1);
    expect(r.kmsg.match(/refusing medium/g)).toHaveLength(1);
    expect(r.tried.trim()).toBe('');
  });

  it('refuses a medium whose filesystem.module differs (a layer added or reordered)', () => {
    const r = run({ ...genuine, 'live/filesystem.module': '10-base.squashfs\n20-upper.squashfs\n30-evil.squashfs\n' }, 'matches_uuid /medium');
    expect(r.code).toBe(1);
    expect(r.kmsg).toMatch(/live\/filesystem\.module: FAILED/);
  });

  it('says nothing about a medium of another build (live-uuid differs): not a candidate', () => {
    const r = run({ ...genuine, '.disk/live-uuid': 'fedcba9876543210\n' }, 'matches_uuid /medium');
    expect(r.code).toBe(1);
    expect(r.kmsg).toBe('');
  });

  it('without forensic on the command line, the uuid alone decides (live-boot unchanged)', () => {
    writeFileSync(path.join(root, 'cmdline'), 'BOOT_IMAGE=/live/vmlinuz boot=live\n');
    try {
      const r = run({ ...genuine, 'live/20-upper.squashfs': 'impostor\n' }, 'matches_uuid /medium');
      expect(r.code).toBe(0);
      expect(r.kmsg).toBe('');
    } finally {
      writeFileSync(path.join(root, 'cmdline'), 'BOOT_IMAGE=/live/vmlinuz boot=live forensic read-only\n');
    }
  });
});
