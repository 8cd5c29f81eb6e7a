// SPDX-License-Identifier: GPL-3.0-or-later
// Remakes test/fixtures/evidence/guest-logins.tar.xz and guest-logins.json (test/helpers/guest-logins-fixture.ts):
// builds the logins-maker profile, boots it with the maker script and a blank raw disk, reads the
// tar the guest wrote there, and commits nothing itself (the developer reviews and commits).
// Only in the 'fixture-makers' vitest project (FORENSIC_LIVE_MAKE_FIXTURES=1, scripts/make-test-fixtures):
// never in the default run or CI, which use the committed files.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { bootIso, buildProfile, TEST_OUT } from '../helpers/e2e.js';
import { blankImage } from '../helpers/evidence.js';
import { FIXTURE_DIR, tarFiles, writeManifest } from '../helpers/committed-evidence.js';
import { GUEST_LOGINS, GUEST_LOGINS_ARCHIVE, guestLoginsKey, LOGINS_MAKER_PROFILE, loginsMakerScript, OUT_DISK_MIB, OUT_SERIAL, type GuestLoginsFacts } from '../helpers/guest-logins-fixture.js';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function readHead(file: string, bytes: number): Buffer {
  const buf = Buffer.alloc(bytes);
  const fd = openSync(file, 'r');
  try {
    let got = 0;
    while (got < bytes) {
      const n = readSync(fd, buf, got, bytes - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.subarray(0, got);
  } finally {
    closeSync(fd);
  }
}

it('makes the guest-logins fixture in a booted Debian guest', async () => {
  const work = path.join(TEST_OUT, `make-guest-logins-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const maker = await buildProfile(LOGINS_MAKER_PROFILE);
  const disk = blankImage(path.join(work, 'out.img'), OUT_DISK_MIB);
  const script = path.join(work, 'make.sh');
  writeFileSync(script, loginsMakerScript());
  const r = await bootIso(maker.iso, ['--timeout', '1800', '--script', script, '--disk', `file=${disk},if=virtio,serial=${OUT_SERIAL}`]);
  const out = r.scriptOutput ?? '';
  writeFileSync(path.join(work, 'script-output.txt'), out);
  expect(r.scriptExitCode, out.slice(-6000)).toBe(0);
  const m = /LOGINS-TAR bytes=(\d+) sha256=([0-9a-f]{64})/.exec(out);
  expect(m, out.slice(-3000)).not.toBeNull();
  const tar = readHead(disk, Number(m![1]));
  expect(sha256(tar)).toBe(m![2]);
  writeFileSync(path.join(work, 'logins.tar'), tar);

  // Recompressed as the guest wrote it (its names, modes and times); xz shrinks the sparse journals.
  const xz = execFileSync('xz', ['-9e', '-T1', '-c'], { input: tar, maxBuffer: 1 << 30 });
  mkdirSync(FIXTURE_DIR, { recursive: true });
  writeFileSync(GUEST_LOGINS_ARCHIVE, xz);
  const versions = execFileSync('tar', ['-xOf', path.join(work, 'logins.tar'), 'reference/versions.txt'], { encoding: 'utf8' });
  const tools = Object.fromEntries(
    versions
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as [string, string]),
  );
  const aliceKey = execFileSync('tar', ['-xOf', path.join(work, 'logins.tar'), 'reference/alice-key.txt'], { encoding: 'utf8' }).trim();
  // The same manifest as every committed fixture: each regular file's sha256, from the guest's tar as extracted.
  const files = path.join(work, 'files');
  rmSync(files, { recursive: true, force: true });
  mkdirSync(files);
  execFileSync('tar', ['-xf', path.join(work, 'logins.tar'), '-C', files, '--no-same-owner']);
  const facts: GuestLoginsFacts = { tools, aliceKey };
  const madeBy = 'test/fixtures/profiles/logins-maker.yaml guest (openssh, sudo, su, rsyslog, logrotate, journald), loginsMakerScript(); tar written by the guest, xz -9e';
  const manifest = writeManifest(GUEST_LOGINS, guestLoginsKey(), files, tarFiles(GUEST_LOGINS_ARCHIVE), madeBy, facts);
  process.stdout.write(`guest-logins: ${statSync(GUEST_LOGINS_ARCHIVE).size} bytes (tar ${tar.length}), key ${manifest.key}\n`);
  expect(readFileSync(GUEST_LOGINS_ARCHIVE).length).toBeLessThan(4 << 20); // small enough to commit
});
