// SPDX-License-Identifier: GPL-3.0-or-later
// sweep's listings of persistence folders (sweep/listing.ts) on a small tree: a file whose name is
// not valid UTF-8 in update-motd.d, profile.d or sshd_config.d is reported (escaped), never turned
// into U+FFFD and skipped; a folder that is a link out of ROOT lists nothing outside.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RootResolver } from '../../src/responder/evidence/root-path.js';
import { configCandidates } from '../../src/responder/sweep/config.js';
import { filesBelow, filesOrDirsIn, newListing } from '../../src/responder/sweep/listing.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fl-listing-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = path.join(dir, 'root');
const outside = path.join(dir, 'outside');

/** A file at ROOT/<folder>/<name bytes>. */
function put(folder: string, name: Buffer | string, text: string): void {
  mkdirSync(path.join(root, folder), { recursive: true });
  writeFileSync(Buffer.concat([Buffer.from(path.join(root, folder) + '/'), Buffer.from(name)]), text, { mode: 0o755 });
}

const BAD = Buffer.from([0x39, 0x39, 0x2d, 0xff, 0xfe, 0x6e]); // "99-" 0xff 0xfe "n": not UTF-8
const SHOWN = '99-\\xff\\xfen';
put('etc/update-motd.d', BAD, '#!/bin/sh\n/tmp/.m &\n');
put('etc/update-motd.d', '10-uname', '#!/bin/sh\nuname -a\n');
put('etc/profile.d', BAD, 'export LD_PRELOAD=/tmp/.l.so\n');
put('etc/ssh/sshd_config.d', BAD, 'PermitRootLogin yes\n');
put('etc/ssh/sshd_config.d', '50-ok.conf', 'PasswordAuthentication no\n');
put('etc/ssh', 'sshd_config', 'Include /etc/ssh/sshd_config.d/*.conf\n');
mkdirSync(path.join(outside, 'cron.d'), { recursive: true });
writeFileSync(path.join(outside, 'cron.d/escaped'), '* * * * * root /x\n');
// A link that climbs out of ROOT: ".." stops at ROOT, so it names ROOT/outside/cron.d (absent).
symlinkSync('../../outside/cron.d', path.join(root, 'etc/cron.d'));

describe('sweep listings: names are bytes', () => {
  const r = new RootResolver(root);

  it('a name that is not UTF-8 is a finding of its own, the others are listed', () => {
    const ctx = newListing();
    expect(filesBelow(r, ctx, '/etc/update-motd.d', 0)).toEqual(['etc/update-motd.d/10-uname']);
    expect(ctx.odd.map((c) => c.path)).toEqual([`/etc/update-motd.d/${SHOWN}`]);
    expect(ctx.odd[0]!.trustable).toBe(false);
    expect(filesOrDirsIn(r, ctx, '/etc/ssh')).toEqual(['sshd_config', 'sshd_config.d']);
  });

  it('sweep reports the hidden names in update-motd.d, profile.d and sshd_config.d, escaped', () => {
    const found = configCandidates(r);
    for (const folder of ['etc/update-motd.d', 'etc/profile.d', 'etc/ssh/sshd_config.d']) {
      const hit = found.find((c) => c.path === `/${folder}/${SHOWN}`);
      expect(hit, folder).toBeDefined();
      expect(hit!.severity).toBe('high');
      expect(hit!.title).toContain('not valid UTF-8');
    }
    expect(found.some((c) => c.indicator === 'motd' && c.path === '/etc/update-motd.d/10-uname')).toBe(true);
    expect(found.some((c) => c.indicator === 'sshd' && c.path === '/etc/ssh/sshd_config.d/50-ok.conf')).toBe(true);
    expect(found.every((c) => !c.path.includes('\ufffd'))).toBe(true);
  });

  it('a folder that is a link out of ROOT lists nothing outside it', () => {
    const ctx = newListing();
    expect(filesBelow(r, ctx, '/etc/cron.d', 0)).toEqual([]);
    expect(configCandidates(r).some((c) => c.path.includes('escaped'))).toBe(false);
  });
});
