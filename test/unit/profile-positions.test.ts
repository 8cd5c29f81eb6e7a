// SPDX-License-Identifier: GPL-3.0-or-later
// Every problem points at file:line:col of the YAML node responsible for it.
import { LineCounter, parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { formatPath, positionOf, type SourceFile } from '../../src/builder/profile/positions.js';
import { tempRepo, yaml } from './profile-fixture.js';

function source(text: string): SourceFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  return { abs: '/x.yaml', display: 'x.yaml', doc, lines, data: doc.toJS() };
}

const text = yaml`
  # comment
  packages:
    - jq
    - file
  boot:
    entries:
      - id: live
        label: Live
    timeout: 5
`;

describe('positionOf', () => {
  const file = source(text);

  it('finds a list item', () => {
    expect(positionOf(file, ['packages', 1])).toEqual({ line: 4, col: 5 });
  });

  it('finds a nested value, and the key when asked', () => {
    expect(positionOf(file, ['boot', 'entries', 0, 'label'])).toEqual({ line: 8, col: 14 });
    expect(positionOf(file, ['boot', 'entries', 0, 'label'], { key: true })).toEqual({ line: 8, col: 7 });
    expect(positionOf(file, ['boot', 'timeout'])).toEqual({ line: 9, col: 12 });
  });

  it('points at the key of a mapping or list it holds', () => {
    expect(positionOf(file, ['boot'])).toEqual({ line: 5, col: 1 });
    expect(positionOf(file, ['boot', 'entries'])).toEqual({ line: 6, col: 3 });
  });

  it('falls back to the nearest existing parent, and the root to 1:1', () => {
    expect(positionOf(file, ['boot', 'default'])).toEqual({ line: 5, col: 1 });
    expect(positionOf(file, ['boot', 'entries', 0, 'options'])).toEqual({ line: 7, col: 7 });
    expect(positionOf(file, [])).toEqual({ line: 1, col: 1 });
  });

  it('formats paths the way problems show them', () => {
    expect(formatPath(['boot', 'entries', 0, 'id'])).toBe('boot.entries[0].id');
    expect(formatPath([])).toBe('');
  });
});

describe('positions in reported problems', () => {
  it('points at a nested value and at a list item', async () => {
    const repo = tempRepo({
      'profiles/p.yaml': yaml`
        image:
          user:
            name: Root-User
        packages:
          - jq
          - BAD
      `,
    });
    const problems = await repo.problems('p');
    expect(problems).toEqual([expect.stringMatching(/p\.yaml:3:11: image\.user\.name: must be a Unix name/), expect.stringMatching(/p\.yaml:6:5: packages\[1\]: not a Debian package name/)]);
  });

  it('points at an unknown key itself', async () => {
    const problems = await tempRepo({ 'profiles/p.yaml': 'boot:\n  timeout: 5\n  entires: []\n' }).problems('p');
    expect(problems).toEqual([expect.stringMatching(/p\.yaml:3:3: boot\.entires: unknown key 'entires' \(did you mean 'entries'\?\)$/)]);
  });

  it('points at a missing required key by its item', async () => {
    const problems = await tempRepo({ 'profiles/p.yaml': 'hooks:\n  - name: x\n    command: [ls]\n' }).problems('p');
    expect(problems).toEqual([expect.stringMatching(/p\.yaml:2:5: hooks\[0\]\.when: missing required key 'when'$/)]);
  });

  it('points a merged-result problem at the file that set the value', async () => {
    const repo = tempRepo({
      'profiles/parent.yaml': 'boot:\n  default: rescue\n  entries:\n    - id: live\n      label: Live\n    - id: rescue\n      label: Rescue\n',
      'profiles/child.yaml': 'extends: parent\nboot:\n  entries:\n    - remove: rescue\n',
    });
    const problems = await repo.problems('child');
    expect(problems).toEqual([expect.stringMatching(/parent\.yaml:2:12: boot\.default: 'rescue' is not the id of a boot entry \(entries: live\)$/)]);
  });

  it('points at the nearest key when the offending value is a default', async () => {
    const problems = await tempRepo({ 'profiles/p.yaml': 'slim: true\nboot:\n  entries:\n    - id: main\n      label: Main\n' }).problems('p');
    // `entries` is set here, so the default 'live' entry is gone while boot.default is still 'live'.
    expect(problems).toEqual([expect.stringMatching(/p\.yaml:2:1: boot\.default: 'live' is not the id of a boot entry \(entries: main\)$/)]);
  });

  it('reports YAML syntax errors with the parser position', async () => {
    const problems = await tempRepo({ 'profiles/p.yaml': 'slim: true\npackages: [a, b\nboot: {}\n' }).problems('p');
    expect(problems[0]).toMatch(/p\.yaml:3:1: YAML syntax error: /);
  });
});
