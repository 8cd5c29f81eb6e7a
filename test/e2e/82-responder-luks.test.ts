// SPDX-License-Identifier: GPL-3.0-or-later
// `responder unlock` and `mount --replay` on the host, with real LUKS1/LUKS2 images made by the
// real cryptsetup (ext4 with a dirty journal inside LUKS2, XFS inside LUKS1) and real dirty ext4
// and XFS images: refusals say why in one line (wrong passphrase or key file, corrupt header, not
// LUKS, BitLocker), the passphrase shows up nowhere, nothing is left attached, no image changes.
// Opening needs the kernel's device-mapper: where the kernel has none (this project's build host),
// the test proves the clear refusal and the clean-up; where it has one, the whole path runs
// (unlock, mount, replay, lock). The booted forensic image proves the whole path in any case
// (50-forensic-evidence).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_OUT } from '../helpers/e2e.js';
import { blankImage, dirtyExt4, dirtyXfs, sh, sha256File } from '../helpers/evidence.js';
import { bitlockerLookalike, luksImage } from '../helpers/luks.js';
import { expectOneLineError, runResponder } from '../helpers/responder-run.js';

const has = (cmd: string) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status === 0;
const canRun = process.getuid?.() === 0 && ['cryptsetup', 'mkfs.ext4', 'debugfs', 'mkfs.xfs', 'xfs_io', 'losetup'].every(has);
// The kernel's misc device list, not /dev/mapper/control: dmsetup/cryptsetup create that node
// even where the kernel has no device-mapper (this host).
const hasDm = /\bdevice-mapper\b/.test(readFileSync('/proc/misc', 'utf8'));

const WORK = path.join(TEST_OUT, `responder-luks-${process.pid}`);
const STATE = path.join(WORK, 'state');
const PASS = 'correct horse LUKS-7f3a';
const env = { RESPONDER_STATE_DIR: STATE };
const run = (args: string[], input?: string) => runResponder(args, { cwd: WORK, env, input });

const img: Record<string, string> = {};
const before: Record<string, string> = {};
const outputs: string[] = [];

/** Loop devices backed by one of our images (nothing may stay attached). */
function ourLoops(): string {
  return sh(['losetup', '-a'])
    .split('\n')
    .filter((l) => l.includes(WORK))
    .join('\n');
}

describe.skipIf(!canRun)('responder unlock and mount --replay (host)', () => {
  beforeAll(() => {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(STATE, { recursive: true });
    const ext4 = dirtyExt4(path.join(WORK, 'plain-ext4-dirty.img'), 'EVLUKSEXT4');
    const xfs = dirtyXfs(path.join(WORK, 'plain-xfs-dirty.img'));
    img.luks2 = luksImage(path.join(WORK, 'luks2-ext4.img'), ext4, 'luks2', PASS);
    img.luks1 = luksImage(path.join(WORK, 'luks1-xfs.img'), xfs, 'luks1', PASS);
    img.ext4 = ext4;
    img.xfs = xfs;
    img.corrupt = path.join(WORK, 'luks2-corrupt.img');
    copyFileSync(img.luks2, img.corrupt);
    // Both LUKS2 JSON areas (primary after the 4 KiB binary header, secondary at 16 KiB) clobbered:
    // the magic still says LUKS, the checksums fail.
    const fd = openSync(img.corrupt, 'r+');
    for (const off of [4096, 16384 + 4096]) writeSync(fd, Buffer.alloc(800, 'x'), 0, 800, off);
    closeSync(fd);
    img.bitlocker = bitlockerLookalike(path.join(WORK, 'bitlocker.img'));
    img.plain = blankImage(path.join(WORK, 'plain.img'), 16);
    sh(['mkfs.ext4', '-q', '-F', img.plain]);
    writeFileSync(path.join(WORK, 'wrong.key'), 'not the key');
    writeFileSync(path.join(WORK, 'right.key'), PASS);
    for (const [k, f] of Object.entries(img)) before[k] = sha256File(f);
  }, 180_000);
  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  it('devices --image names both LUKS versions and the command that opens them', async () => {
    for (const [k, v] of [
      ['luks1', '1'],
      ['luks2', '2'],
    ] as const) {
      const r = await run(['devices', '--image', img[k]!]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.toString()).toContain(`LUKS${v}: ${img[k]} is encrypted; open it read-only with: responder unlock ${img[k]}`);
    }
    const b = await run(['devices', '--image', img.bitlocker!]);
    expect(b.stdout.toString()).toMatch(/BitLocker: .* not supported yet/);
  });

  it('a wrong passphrase (piped) and a wrong key file: one line that says so', async () => {
    for (const r of [await run(['unlock', img.luks2!, 'ev2'], 'wrong passphrase\n'), await run(['unlock', img.luks1!, 'ev1', '--key-file', path.join(WORK, 'wrong.key')])]) {
      outputs.push(r.stdout.toString(), r.stderr);
      expectOneLineError(r);
      expect(r.stderr).toMatch(/cannot open the LUKS volume .*: wrong passphrase or key file: no key slot opens with it/);
    }
    expect(ourLoops()).toBe('');
  });

  it('a corrupt header, a plain file system and BitLocker: each says why', async () => {
    const corrupt = await run(['unlock', img.corrupt!], PASS + '\n');
    expectOneLineError(corrupt);
    expect(corrupt.stderr).toContain('no valid LUKS header (corrupt, wiped, or not LUKS)');
    const plain = await run(['unlock', img.plain!], PASS + '\n');
    expectOneLineError(plain);
    expect(plain.stderr).toContain('is not a LUKS volume (it holds ext4)');
    const bl = await run(['unlock', img.bitlocker!], PASS + '\n');
    expectOneLineError(bl);
    expect(bl.stderr).toContain('opening BitLocker is not supported yet');
    const m = await run(['mount', img.luks2!, path.join(WORK, 'm0')]);
    expectOneLineError(m);
    expect(m.stderr).toContain('open it read-only first with responder unlock');
    outputs.push(corrupt.stderr, plain.stderr, bl.stderr);
    expect(ourLoops()).toBe('');
  });

  it.skipIf(hasDm)('the right passphrase without device-mapper: says so, nothing left attached', async () => {
    const r = await run(['unlock', img.luks2!, 'ev2'], PASS + '\n');
    outputs.push(r.stdout.toString(), r.stderr);
    expectOneLineError(r);
    expect(r.stderr).toContain('the kernel has no device-mapper');
    const k = await run(['unlock', img.luks1!, 'ev1', '--key-file', path.join(WORK, 'right.key')]);
    expect(k.stderr).toContain('the kernel has no device-mapper'); // the key was right: the key check passed
    expect(ourLoops()).toBe('');
  });

  it.skipIf(hasDm)('mount --replay without device-mapper: one line, and the loop devices, COW file, tmpfs and mount point are gone', async () => {
    for (const f of [img.ext4!, img.xfs!]) {
      const mnt = path.join(WORK, `replay-${path.basename(f)}`);
      const r = await run(['mount', f, mnt, '--replay']);
      expectOneLineError(r);
      expect(r.stderr).toContain("--replay needs the kernel's device-mapper snapshot target");
      expect(existsSync(mnt)).toBe(false);
    }
    expect(ourLoops()).toBe('');
    expect(readdirSync(path.join(STATE, 'cow'))).toEqual([]);
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain('responder-cow-');
  });

  it.skipIf(!hasDm)('with device-mapper: unlock, mount (stale), mount --replay (latest), lock', async () => {
    const u = await run(['unlock', img.luks2!, 'ev2'], PASS + '\n');
    expect(u.code, u.stderr).toBe(0);
    const mnt = path.join(WORK, 'ev2');
    const plain = await run(['mount', '/dev/mapper/ev2', mnt, '--json']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(JSON.parse(plain.stdout.toString()).stale).toBe(true);
    expect(readFileSync(path.join(mnt, 'evidence.txt'), 'utf8')).toBe('original evidence\n');
    expect((await run(['umount', mnt])).code).toBe(0);
    const rep = await run(['mount', '/dev/mapper/ev2', mnt, '--replay']);
    expect(rep.code, rep.stderr).toBe(0);
    expect(readFileSync(path.join(mnt, 'evidence.txt'), 'utf8')).toMatch(/^REPLAYED JOURNAL/);
    expect((await run(['umount', mnt])).code).toBe(0);
    expect((await run(['lock', 'ev2'])).code).toBe(0);
    expect(sh(['dmsetup', 'ls'])).not.toMatch(/ev2|responder-replay-/);
    expect(ourLoops()).toBe('');
  });

  it('the passphrase appears in no output and no state file', () => {
    for (const o of outputs) expect(o).not.toContain(PASS);
    for (const f of readdirSync(STATE, { recursive: true }) as string[]) {
      const p = path.join(STATE, f);
      if (statSync(p).isFile()) expect(readFileSync(p, 'latin1'), p).not.toContain(PASS);
    }
  });

  it('no image changed', () => {
    for (const [k, f] of Object.entries(img)) expect(sha256File(f), k).toBe(before[k]);
  });
});
