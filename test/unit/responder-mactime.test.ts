// SPDX-License-Identifier: GPL-3.0-or-later
// mactime-style timeline: macb grouping, --from/--to, the exact mactime -y -z UTC / -d layout, and
// the bounded-memory external sort (chunks + k-way merge) giving the same order as an in-memory sort.
import { describe, expect, it } from 'vitest';
import type { BodyRecord } from '../../src/responder/timeline/body.js';
import { CSV_HEADER, decodeEvent, encodeEvent, eventsOf, isoSeconds, parseDate, sortKey, TimelineFormatter } from '../../src/responder/timeline/mactime.js';
import { ExternalSorter } from '../../src/responder/timeline/sort.js';

const T0 = Date.UTC(2020, 0, 2, 3, 4, 5) / 1000; // 2020-01-02T03:04:05Z
const rec = (over: Partial<BodyRecord>): BodyRecord => ({ md5: '0', name: '/a.txt', inode: '12', mode: 'r/rrw-r--r--', uid: 0, gid: 0, size: 3, atime: T0, mtime: T0, ctime: T0, crtime: T0, ...over });

describe('eventsOf', () => {
  it('groups equal times into one event with its macb flags', () => {
    expect(eventsOf(rec({})).map((e) => [e.time, e.macb])).toEqual([[T0, 'macb']]);
    const r = rec({ mtime: T0, atime: T0, ctime: T0 + 10, crtime: T0 + 20 });
    expect(eventsOf(r).map((e) => [e.time, e.macb])).toEqual([
      [T0, 'ma..'],
      [T0 + 10, '..c.'],
      [T0 + 20, '...b'],
    ]);
    expect(eventsOf(rec({ atime: T0 + 1, ctime: T0 + 1, crtime: T0 + 1 })).map((e) => e.macb)).toEqual(['m...', '.acb']);
  });

  it('skips unknown (0) times, as mactime does', () => {
    expect(eventsOf(rec({ crtime: 0 })).map((e) => e.macb)).toEqual(['mac.']);
    expect(eventsOf(rec({ atime: 0, mtime: 0, ctime: 0, crtime: 0 }))).toEqual([]);
  });

  it('filters by an inclusive range', () => {
    const r = rec({ mtime: T0, atime: T0 + 100, ctime: T0 + 200, crtime: 0 });
    expect(eventsOf(r, { from: T0 + 100 }).map((e) => e.macb)).toEqual(['.a..', '..c.']);
    expect(eventsOf(r, { to: T0 + 100 }).map((e) => e.macb)).toEqual(['m...', '.a..']);
    expect(eventsOf(r, { from: T0 + 1, to: T0 + 199 }).map((e) => e.macb)).toEqual(['.a..']);
  });
});

describe('parseDate (UTC)', () => {
  it('reads dates and date-times; a bare --to date covers the whole day', () => {
    expect(parseDate('2020-01-02', false)).toBe(Date.UTC(2020, 0, 2) / 1000);
    expect(parseDate('2020-01-02', true)).toBe(Date.UTC(2020, 0, 2, 23, 59, 59) / 1000);
    expect(parseDate('2020-01-02T03:04:05Z', false)).toBe(T0);
    expect(parseDate('2020-01-02T03:04:05', true)).toBe(T0);
    expect(parseDate('2020-01-02 03:04', true)).toBe(T0 - 5 + 59);
  });
  it('refuses what it would have to guess', () => {
    for (const bad of ['', 'yesterday', '2020-13-01', '2020-02-31', '2020-01-02T03:04:05+02:00', '02/01/2020']) expect(parseDate(bad, false)).toBeUndefined();
  });
});

describe('TimelineFormatter', () => {
  it('prints mactime -y -z UTC text: the date once per second, columns as mactime', () => {
    const f = new TimelineFormatter('text');
    const [a] = eventsOf(rec({ atime: T0, mtime: T0, ctime: T0 + 1, crtime: T0 + 1 }));
    const b = eventsOf(rec({ name: '/lost+found', inode: '11', size: 12288, mode: 'd/drwx------', atime: T0, mtime: T0, ctime: T0, crtime: T0 }))[0]!;
    expect(f.line(a!)).toBe('2020-01-02T03:04:05Z        3 ma.. r/rrw-r--r-- 0        0        12       /a.txt\n');
    expect(f.line(b)).toBe('                        12288 macb d/drwx------ 0        0        11       /lost+found\n');
    expect(isoSeconds(T0)).toBe('2020-01-02T03:04:05Z');
  });

  it('prints mactime -d CSV with quoted names', () => {
    const f = new TimelineFormatter('csv');
    expect(f.header()).toBe(CSV_HEADER + '\n');
    const [e] = eventsOf(rec({ name: '/say "hi", ok' }));
    expect(f.line(e!)).toBe('2020-01-02T03:04:05Z,3,macb,r/rrw-r--r--,0,0,12,"/say ""hi"", ok"\n');
  });

  it('prints JSON Lines', () => {
    const [e] = eventsOf(rec({}));
    expect(JSON.parse(new TimelineFormatter('json').line(e!))).toMatchObject({ time: '2020-01-02T03:04:05Z', epoch: T0, macb: 'macb', name: '/a.txt', inode: '12' });
  });

  it('events survive the sort encoding', () => {
    const [e] = eventsOf(rec({ name: '/x\\x7cy -> t' }));
    expect(decodeEvent(e!.time, sortKey(e!), encodeEvent(e!))).toEqual(e);
  });
});

describe('ExternalSorter', () => {
  function run(chunk: number, n: number) {
    const s = new ExternalSorter(chunk);
    let seed = 99;
    const rnd = (m: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % m;
    const input: [number, string, string][] = [];
    for (let i = 0; i < n; i++) {
      // Few distinct times and keys, so ties on (time, key) are common and stability is tested.
      const rec: [number, string, string] = [1_600_000_000 + rnd(50), `${rnd(30)},/ünï${rnd(3)}`, `p${i}`];
      input.push(rec);
      s.add(...rec);
    }
    const out = [...s.sorted()];
    const expected = input
      .map((x, i) => [x, i] as const)
      .sort((a, b) => a[0][0] - b[0][0] || (a[0][1] < b[0][1] ? -1 : a[0][1] > b[0][1] ? 1 : 0) || a[1] - b[1])
      .map((x) => x[0]);
    return { out, expected, spilled: s.spilledChunks };
  }

  it('sorts in memory when everything fits', () => {
    const { out, expected, spilled } = run(1000, 500);
    expect(spilled).toBe(0);
    expect(out).toEqual(expected);
  });

  it('spills to chunk files and merges them: same order as in memory, stable for ties', () => {
    const { out, expected, spilled } = run(97, 3000);
    expect(spilled).toBeGreaterThan(10);
    expect(out).toEqual(expected);
  });

  it('orders one second like mactime: inode compared as a string, then name', () => {
    const s = new ExternalSorter();
    for (const e of [
      ...eventsOf(rec({ inode: '12', name: '/b' })),
      ...eventsOf(rec({ inode: '100', name: '/c' })),
      ...eventsOf(rec({ inode: '12', name: '/a' })),
      ...eventsOf(rec({ inode: '2', name: '/d', mtime: T0 - 1, atime: T0 - 1, ctime: T0 - 1, crtime: 0 })),
    ])
      s.add(e.time, sortKey(e), encodeEvent(e));
    expect([...s.sorted()].map(([, k]) => k)).toEqual(['2,/d', '100,/c', '12,/a', '12,/b']);
  });
});
