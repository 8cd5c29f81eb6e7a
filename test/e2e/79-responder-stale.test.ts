// SPDX-License-Identifier: GPL-3.0-or-later
// `responder mount` says when the read-only view is stale: a dirty ext4 journal (needs_recovery)
// and a dirty XFS log (xfs_logprint's state, read from the read-only loop device) are reported,
// a clean XFS is not (control); the newest XFS file is indeed missing from the view, and neither
// image changes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_OUT } from '../helpers/e2e.js';
import { blankImage, dirtyExt4, dirtyXfs, sh, sha256File } from '../helpers/evidence.js';
import { runResponder } from '../helpers/responder-run.js';

const has = (cmd: string) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status === 0;
const canRun = process.getuid?.() === 0 && ['mkfs.ext4', 'debugfs', 'mkfs.xfs', 'xfs_io', 'xfs_logprint', 'losetup'].every(has);

const WORK = path.join(TEST_OUT, `responder-stale-${process.pid}`);

async function mount(img: string) {
  const mnt = path.join(WORK, path.basename(img) + '.mnt');
  const r = await runResponder(['mount', img, mnt, '--json'], { cwd: WORK });
  expect(r.code, r.stderr).toBe(0);
  const doc = JSON.parse(r.stdout.toString()) as { stale: boolean };
  const text = { stale: doc.stale, late: existsSync(path.join(mnt, 'late.txt')) };
  const u = await runResponder(['umount', mnt], { cwd: WORK });
  expect(u.code, u.stderr).toBe(0);
  return text;
}

describe.skipIf(!canRun)('responder mount says when the view is stale', () => {
  const img = { ext4: path.join(WORK, 'dirty.ext4'), xfs: path.join(WORK, 'dirty.xfs'), clean: path.join(WORK, 'clean.xfs') };
  const before: Record<string, string> = {};
  beforeAll(() => {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(WORK, { recursive: true });
    dirtyExt4(img.ext4);
    dirtyXfs(img.xfs);
    blankImage(img.clean, 320);
    sh(['mkfs.xfs', '-q', img.clean]);
    for (const [k, f] of Object.entries(img)) before[k] = sha256File(f);
  }, 120_000);
  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  it('dirty ext4: stale', async () => {
    expect((await mount(img.ext4)).stale).toBe(true);
  });
  it('dirty XFS: stale, and the last file is not in the view', async () => {
    expect(await mount(img.xfs)).toEqual({ stale: true, late: false });
  });
  it('clean XFS: not stale (control)', async () => {
    expect((await mount(img.clean)).stale).toBe(false);
  });
  it('the text output says it in words', async () => {
    const mnt = path.join(WORK, 'text.mnt');
    const r = await runResponder(['mount', img.xfs, mnt], { cwd: WORK });
    await runResponder(['umount', mnt], { cwd: WORK });
    expect(r.stdout.toString()).toContain('STALE VIEW: the journal/log holds changes that are not replayed');
  });
  it('leaves the images unchanged', () => {
    for (const [k, f] of Object.entries(img)) expect(sha256File(f), k).toBe(before[k]);
  });
});
