// SPDX-License-Identifier: GPL-3.0-or-later
// `responder collect` on the host with loop devices: a disk holding a file system is refused
// unless --erase (and the serial must match), then partitioned, formatted (ext4) and mounted;
// the udev helper exempts exactly that disk and its partition; release makes it read-only again.
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, TEST_OUT } from '../helpers/e2e.js';
import { sh } from '../helpers/evidence.js';
import { expectOneLineError, runResponder } from '../helpers/responder-run.js';
import { spawnSync } from 'node:child_process';

const dir = path.join(TEST_OUT, 'collect');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const env = {
  RESPONDER_COLLECTION_MARKER: path.join(dir, 'marker'),
  RESPONDER_COLLECTION_MOUNT: path.join(dir, 'mnt'),
  RESPONDER_LIVE_MEDIUM: path.join(dir, 'no-medium'),
  RESPONDER_STATE_DIR: path.join(dir, 'run'),
};
const loops: string[] = [];
afterAll(() => {
  spawnSync('umount', [env.RESPONDER_COLLECTION_MOUNT]);
  for (const l of loops) {
    spawnSync('blockdev', ['--setrw', l]); // loop devices are reused: leave them as found
    spawnSync('losetup', ['-d', l]);
  }
});

const helper = path.join(REPO, 'overlays/forensic/usr/lib/forensic-live/is-collection-disk');
const devpath = (dev: string) => realpathSync(`/sys/class/block/${path.basename(dev)}`).slice('/sys'.length);
const exempt = (dev: string) => spawnSync(helper, [devpath(dev)], { env: { ...process.env, FORENSIC_LIVE_COLLECTION_MARKER: env.RESPONDER_COLLECTION_MARKER } }).status;
const ro = (dev: string) => readFileSync(`/sys/class/block/${path.basename(dev)}/ro`, 'utf8').trim();

describe('responder collect', () => {
  it('guards, prepares, exempts exactly that disk, and releases', async () => {
    const usb = path.join(dir, 'usb.img');
    sh(['truncate', '-s', '64M', usb]);
    sh(['mkfs.ext4', '-q', '-F', '-L', 'OLDSTUFF', usb]);
    const evidence = path.join(dir, 'evidence.img');
    sh(['truncate', '-s', '16M', evidence]);
    const disk = sh(['losetup', '--find', '--show', '--partscan', usb]).trim();
    loops.push(disk);
    const ev = sh(['losetup', '--find', '--show', evidence]).trim();
    loops.push(ev);
    sh(['blockdev', '--setro', ev]);

    const notEmpty = await runResponder(['collect', 'prepare', disk, '--serial', 'none'], { env });
    expectOneLineError(notEmpty);
    expect(notEmpty.stderr).toMatch(/not empty .*ext4, label "OLDSTUFF"/);
    const wrongSerial = await runResponder(['collect', 'prepare', disk, '--serial', 'XYZ', '--erase'], { env });
    expectOneLineError(wrongSerial);
    expect(wrongSerial.stderr).toContain('its serial is "none", not "XYZ"');
    expect(existsSync(env.RESPONDER_COLLECTION_MARKER)).toBe(false);

    const ok = await runResponder(['collect', 'prepare', disk, '--serial', 'none', '--erase'], { env });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/^ERASING /m);
    expect(ok.stderr).toContain('label "OLDSTUFF"');
    expect(ok.stdout.toString()).toContain(`mounted on ${env.RESPONDER_COLLECTION_MOUNT}`);
    const part = `${disk}p1`;
    expect(sh(['findmnt', '-n', '-o', 'SOURCE,FSTYPE', env.RESPONDER_COLLECTION_MOUNT]).trim()).toBe(`${part} ext4`);
    expect([ro(disk), ro(part), ro(ev)]).toEqual(['0', '0', '1']);
    // The udev rule's helper: the collection disk and its partition are exempt, nothing else.
    expect([exempt(disk), exempt(part), exempt(ev)]).toEqual([0, 0, 1]);
    writeFileSync(path.join(env.RESPONDER_COLLECTION_MOUNT, 'hello.txt'), 'case data\n');

    const status = await runResponder(['collect', 'status', '--json'], { env });
    const s = JSON.parse(status.stdout.toString());
    expect(s.writable).toContain(disk);
    expect(s.writable).not.toContain(ev);
    expect(s.collectionDisk.disk).toBe(disk);
    const again = await runResponder(['collect', 'prepare', ev, '--serial', 'none'], { env });
    expect(again.stderr).toMatch(/already prepared/);

    const rel = await runResponder(['collect', 'release'], { env });
    expect(rel.code, rel.stderr).toBe(0);
    expect(spawnSync('findmnt', [env.RESPONDER_COLLECTION_MOUNT]).status).not.toBe(0);
    expect([ro(disk), ro(part)]).toEqual(['1', '1']);
    expect(existsSync(env.RESPONDER_COLLECTION_MARKER)).toBe(false);
    expect(exempt(disk)).toBe(1);
    // What was written is on the disk (read without mounting it).
    expect(sh(['debugfs', '-R', 'cat /hello.txt', part])).toContain('case data');
    expect(sh(['blkid', '-o', 'value', '-s', 'LABEL', part]).trim()).toBe('COLLECTION');
  });
});
