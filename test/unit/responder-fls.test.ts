// SPDX-License-Identifier: GPL-3.0-or-later
// fls body lines re-read with responder's escaping: a raw "|" in a name, invalid UTF-8 and NTFS
// inode addresses; deleted and orphan names recognised; argv for fls/icat in sectors.
import { describe, expect, it } from 'vitest';
import { flsArgv, flsRecord, isDeleted } from '../../src/responder/recover/fls.js';
import { icatArgv, INODE } from '../../src/responder/recover/icat.js';

describe('fls lines', () => {
  it('escapes a raw "|" and invalid UTF-8, keeping 11 fields', () => {
    const line = Buffer.concat([Buffer.from('0|/a|b\xff'.replace('\xff', ''), 'latin1'), Buffer.from([0xff]), Buffer.from(' (deleted)|65-128-2|r/rrwxrwxrwx|0|0|20|1|2|3|4')]);
    const r = flsRecord(line)!;
    expect(r.name).toBe('/a\\x7cb\\xff (deleted)');
    expect(r.inode).toBe('65-128-2');
    expect([r.size, r.atime, r.mtime, r.ctime, r.crtime]).toEqual([20, 1, 2, 3, 4]);
    expect(isDeleted(r)).toBe(true);
  });
  it('knows orphans and live names', () => {
    expect(isDeleted(flsRecord(Buffer.from('0|/$OrphanFiles/OrphanFile-12|12|-/rrw-r--r--|0|0|0|0|0|0|0'))!)).toBe(true);
    expect(isDeleted(flsRecord(Buffer.from('0|/keep.txt|13|r/rrw-r--r--|0|0|5|0|0|0|0'))!)).toBe(false);
    expect(flsRecord(Buffer.from('not a body line'))).toBeUndefined();
  });
  it('gives offsets in 512-byte sectors and checks inode addresses', () => {
    expect(flsArgv('/x.img', 1048576)).toEqual(['fls', '-r', '-m', '/', '-o', '2048', '/x.img']);
    expect(icatArgv('/x.img', 0, '12')).toEqual(['icat', '-r', '-o', '0', '/x.img', '12']);
    expect(['12', '64-128-2', '1-2'].every((i) => INODE.test(i))).toBe(true);
    expect(['-1', '12;rm', '', '1-2-3-4', '../x'].some((i) => INODE.test(i))).toBe(false);
  });
});
