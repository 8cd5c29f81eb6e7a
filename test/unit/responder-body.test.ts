// SPDX-License-Identifier: GPL-3.0-or-later
// Body-file format: name escaping (|, newlines, invalid UTF-8), mode strings as TSK writes them,
// line layout, parsing fls's own lines, and the walk (no symlink following, special names).
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeName, formatBodyLine, modeString, nsToSeconds, parseBodyLine, unescapeName } from '../../src/responder/timeline/body.js';
import { walkTree } from '../../src/responder/timeline/walk.js';
import type { BodyRecord } from '../../src/responder/timeline/body.js';

const B = (s: string | number[]) => (typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s));

describe('escapeName', () => {
  it('leaves ordinary and UTF-8 names alone (same as fls)', () => {
    expect(escapeName(B('/etc/passwd'))).toBe('/etc/passwd');
    expect(escapeName(B('/home/zoë/Café ☕ 日本.txt'))).toBe('/home/zoë/Café ☕ 日本.txt');
    expect(escapeName(B('/a b/c~d#e$f'))).toBe('/a b/c~d#e$f');
  });

  it('escapes the field separator, control bytes and the escape character', () => {
    expect(escapeName(B('pi|pe'))).toBe('pi\\x7cpe');
    expect(escapeName(B('new\nline'))).toBe('new\\x0aline');
    expect(escapeName(B('cr\rtab\tnul\0del\x7f'))).toBe('cr\\x0dtab\\x09nul\\x00del\\x7f');
    expect(escapeName(B('back\\slash'))).toBe('back\\\\slash');
    expect(escapeName(B('esc\x1b[31mred'))).toBe('esc\\x1b[31mred');
  });

  it('escapes every byte of invalid UTF-8, keeps valid sequences around it', () => {
    expect(escapeName(B([0x62, 0x61, 0x64, 0xff, 0x6e]))).toBe('bad\\xffn');
    expect(escapeName(B([0xc3, 0xa9, 0xc3]))).toBe('é\\xc3'); // truncated sequence at the end
    expect(escapeName(B([0xc0, 0xaf]))).toBe('\\xc0\\xaf'); // overlong "/"
    expect(escapeName(B([0xed, 0xa0, 0x80]))).toBe('\\xed\\xa0\\x80'); // UTF-16 surrogate
    expect(escapeName(B([0xf4, 0x90, 0x80, 0x80]))).toBe('\\xf4\\x90\\x80\\x80'); // above U+10FFFF
    expect(escapeName(B([0xe2, 0x82]))).toBe('\\xe2\\x82');
  });

  it('makes C1 controls and bidi overrides visible', () => {
    expect(escapeName(B('a\u009bb'))).toBe('a\\xc2\\x9bb');
    expect(escapeName(B('evil\u202Etxt.exe'))).toBe('evil\\xe2\\x80\\xaetxt.exe');
  });

  it('always yields one body field: no | or newline, valid UTF-8', () => {
    for (let n = 0; n < 256; n++) {
      const e = escapeName(B([0x41, n, 0x42]));
      expect(e).not.toMatch(/[|\n\r]/);
      expect(Buffer.from(e, 'utf8').toString('utf8')).toBe(e);
    }
  });

  it('is reversible for arbitrary bytes', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256;
    for (let k = 0; k < 2000; k++) {
      const raw = Buffer.from(Array.from({ length: 1 + (k % 40) }, rnd));
      expect(unescapeName(escapeName(raw)).equals(raw)).toBe(true);
    }
    for (const s of ['pi|pe', 'a\\b', 'a\\\\x41', '\\x7c', 'ünï|cödé\n']) expect(unescapeName(escapeName(B(s))).toString()).toBe(s);
  });
});

describe('modeString (TSK style: name type / meta type + permissions)', () => {
  it.each([
    [0o100644, 'r/rrw-r--r--'],
    [0o100755, 'r/rrwxr-xr-x'],
    [0o040755, 'd/drwxr-xr-x'],
    [0o040700, 'd/drwx------'],
    [0o120777, 'l/lrwxrwxrwx'],
    [0o010644, 'p/prw-r--r--'],
    [0o020620, 'c/crw--w----'],
    [0o060660, 'b/brw-rw----'],
    [0o140755, 's/srwxr-xr-x'],
    [0o104755, 'r/rrwsr-xr-x'],
    [0o104644, 'r/rrwSr--r--'],
    [0o102755, 'r/rrwxr-sr-x'],
    [0o102745, 'r/rrwxr-Sr-x'],
    [0o041777, 'd/drwxrwxrwt'],
    [0o041776, 'd/drwxrwxrwT'],
    [0o000000, '-/----------'],
  ])('%o -> %s', (mode, want) => {
    expect(modeString(mode)).toBe(want);
  });
});

describe('body lines', () => {
  const rec: BodyRecord = { md5: '0', name: '/etc/pi\\x7cpe', inode: '131074', mode: 'r/rrw-r--r--', uid: 0, gid: 0, size: 42, atime: 1700000000, mtime: 1600000000, ctime: 1650000000, crtime: 0 };

  it('has the 11 TSK 3.x fields in order', () => {
    const line = formatBodyLine(rec);
    expect(line).toBe('0|/etc/pi\\x7cpe|131074|r/rrw-r--r--|0|0|42|1700000000|1600000000|1650000000|0');
    expect(line.split('|')).toHaveLength(11);
    expect(parseBodyLine(line)).toEqual(rec);
  });

  it('reads fls lines whose names contain a raw |, from the right', () => {
    const r = parseBodyLine('0|/link2 -> tar|get|16|l/lrwxrwxrwx|0|0|7|1795980293|1795980293|1795980293|1795980293');
    expect(r?.name).toBe('/link2 -> tar|get');
    expect(r?.inode).toBe('16');
    expect(r?.size).toBe(7);
    expect(parseBodyLine('not a body line')).toBeUndefined();
    expect(parseBodyLine('0|x|1|r/r---------|0|0|zz|1|2|3|4')).toBeUndefined();
  });

  it('floors nanoseconds to seconds, also before 1970', () => {
    expect(nsToSeconds(1_700_000_000_999_999_999n)).toBe(1_700_000_000);
    expect(nsToSeconds(-1n)).toBe(-1);
    expect(nsToSeconds(-1_000_000_000n)).toBe(-1);
  });
});

describe('walkTree', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'responder-walk-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists every entry once, lstat only, names escaped, symlinks shown with their target and never entered', () => {
    const root = path.join(dir, 'root');
    mkdirSync(path.join(root, 'sub/deeper'), { recursive: true });
    writeFileSync(path.join(root, 'sub/deeper/file'), 'x');
    writeFileSync(path.join(root, 'pi|pe'), 'abc');
    writeFileSync(path.join(root, 'new\nline'), '');
    writeFileSync(Buffer.concat([B(root + '/bad'), B([0xff, 0xfe])]), '');
    symlinkSync('sub', path.join(root, 'to-sub')); // a symlink to a directory: not followed
    symlinkSync('.', path.join(root, 'sub/loop')); // a loop: not followed
    symlinkSync('/etc', path.join(root, 'outside')); // leads out of the tree: not followed
    execFileSync('mkfifo', [path.join(root, 'fifo')]);
    const recs: BodyRecord[] = [];
    const n = walkTree(root, { onRecord: (r) => recs.push(r) });
    const names = recs.map((r) => r.name);
    expect(n).toBe(recs.length);
    expect(names.sort()).toEqual(['/bad\\xff\\xfe', '/fifo', '/new\\x0aline', '/outside -> /etc', '/pi\\x7cpe', '/sub', '/sub/deeper', '/sub/deeper/file', '/sub/loop -> .', '/to-sub -> sub'].sort());
    const pipe = recs.find((r) => r.name === '/pi\\x7cpe')!;
    const st = lstatSync(path.join(root, 'pi|pe'), { bigint: true });
    expect(pipe).toMatchObject({ md5: '0', inode: st.ino.toString(), mode: 'r/rrw-r--r--', size: 3, mtime: Number(st.mtimeNs / 1_000_000_000n) });
    expect(recs.find((r) => r.name.startsWith('/to-sub'))!.mode).toBe('l/lrwxrwxrwx');
    expect(recs.find((r) => r.name === '/fifo')!.mode.startsWith('p/p')).toBe(true);
    for (const r of recs) expect(formatBodyLine(r).split('|')).toHaveLength(11);
  });

  it('uses the mount-point prefix like fls -m', () => {
    const root = path.join(dir, 'prefixed');
    mkdirSync(root);
    writeFileSync(path.join(root, 'f'), '');
    const recs: BodyRecord[] = [];
    walkTree(root, { mountPoint: 'C:', onRecord: (r) => recs.push(r) });
    expect(recs.map((r) => r.name)).toEqual(['C:/f']);
  });
});
