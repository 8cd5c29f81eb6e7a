// SPDX-License-Identifier: GPL-3.0-or-later
// sweep's file capabilities (sweep/capabilities.ts) with the host's getcap and setcap (libcap2-bin)
// on a small tree: getcap's output is bytes mapped back to real files, so a name that is not UTF-8,
// a name with a newline or one ending in capability-like text is still reported; a link out of
// ROOT is never followed; a line that names no file is a finding, never dropped.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RootResolver } from '../../src/responder/evidence/root-path.js';
import { capabilityCandidates, parseGetcap } from '../../src/responder/sweep/capabilities.js';
import type { Candidate } from '../../src/responder/sweep/findings.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fl-caps-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const root = path.join(dir, 'root');
const outside = path.join(dir, 'outside');

/** A copy of /bin/true at FOLDER/<name bytes>, with `caps` set when given (set first, then renamed: setcap takes no raw bytes). */
function file(folder: string, name: Buffer | string, caps?: string): void {
  const tmp = path.join(folder, '.new');
  copyFileSync('/bin/true', tmp);
  if (caps) execFileSync('setcap', [caps, tmp]);
  renameSync(tmp, Buffer.concat([Buffer.from(folder + '/'), Buffer.from(name)]));
}

let found: Candidate[] = [];
beforeAll(async () => {
  const bin = path.join(root, 'usr/bin');
  mkdirSync(bin, { recursive: true });
  mkdirSync(outside, { recursive: true });
  file(bin, 'py', 'cap_setuid+ep');
  file(bin, 'py-twin');
  file(bin, 'ping', 'cap_net_raw+ep'); // what iputils-ping's postinst sets: known
  file(bin, Buffer.from([0x2e, 0x78, 0xff, 0xfe]), 'cap_dac_read_search+ep'); // ".x" 0xff 0xfe
  file(bin, 'two\nlines', 'cap_sys_admin+ep');
  // getcap prints this one as "evil cap_setuid=ei cap_net_raw+ep"; its twin is named "evil cap_setuid=ei".
  file(bin, 'evil', 'cap_net_raw+ep cap_setuid+ie');
  file(bin, 'evil cap_setuid=ei');
  file(outside, 'o', 'cap_sys_module+ep');
  symlinkSync('../../../outside/o', path.join(bin, 'link-out'));
  symlinkSync(outside, path.join(root, 'dir-out'));
  found = (await capabilityCandidates(new RootResolver(root))).filter((c) => c.indicator === 'capability');
});

const at = (p: string) => found.filter((c) => c.path === p);

describe('file capabilities read as bytes', () => {
  it('a capability on a plain file is found, its twin without one is not, a known one is dropped', () => {
    expect(at('/usr/bin/py')).toMatchObject([{ severity: 'critical', detail: 'cap_setuid=ep', trustable: false }]);
    expect(at('/usr/bin/py-twin')).toEqual([]);
    expect(at('/usr/bin/ping')).toEqual([]);
  });

  it('a name that is not UTF-8 is reported escaped, a name with a newline as one file', () => {
    expect(at('/usr/bin/.x\\xff\\xfe')).toMatchObject([{ severity: 'critical', detail: 'cap_dac_read_search=ep' }]);
    expect(at('/usr/bin/two\\x0alines')).toMatchObject([{ severity: 'critical', detail: 'cap_sys_admin=ep' }]);
  });

  it('a name ending in capability-like text: every file the line can name is reported', () => {
    expect(at('/usr/bin/evil')).toHaveLength(1);
    expect(at('/usr/bin/evil')[0]!.severity).toBe('critical');
    expect(at('/usr/bin/evil cap_setuid=ei')).toHaveLength(1);
  });

  it('a link out of ROOT is not followed (nothing outside is reported), and nothing else is', () => {
    expect(found.some((c) => c.path.includes('link-out') || c.path.includes('dir-out') || c.path.includes('outside'))).toBe(false);
    expect(found).toHaveLength(5);
  });
});

describe('getcap lines that name no file', () => {
  const exists = new Set(['/r/a', '/r/b\nc']);
  const isFile = (p: Buffer) => exists.has(p.toString('latin1'));
  it('are findings of their own, and do not stop the lines after them', () => {
    const out = Buffer.from('/r/gone cap_setuid=ep\n/r/a cap_net_raw=ep\n/r/b\nc cap_chown+ep\nstray\n');
    const lines = parseGetcap(out, '/r', isFile);
    expect(lines.map((l) => [l.rel?.toString('latin1'), l.name?.toString('latin1'), l.caps])).toEqual([
      [undefined, 'gone', 'cap_setuid=ep'],
      ['a', undefined, 'cap_net_raw=ep'],
      ['b\nc', undefined, 'cap_chown+ep'],
      [undefined, 'stray', ''],
    ]);
  });
});
