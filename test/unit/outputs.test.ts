// SPDX-License-Identifier: GPL-3.0-or-later
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { updateSha256Sums } from '../../src/builder/stages/outputs.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('SHA256SUMS', () => {
  it('keeps other ISOs, replaces this one, drops files that are gone, and passes sha256sum -c', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-sums-'));
    writeFileSync(path.join(dir, 'a.iso'), 'A');
    writeFileSync(path.join(dir, 'b.iso'), 'B');
    await updateSha256Sums(dir, { 'a.iso': sha('old') });
    await updateSha256Sums(dir, { 'b.iso': sha('B') });
    writeFileSync(path.join(dir, 'SHA256SUMS'), readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8') + `${sha('x')}  gone.iso\n`);
    await updateSha256Sums(dir, { 'a.iso': sha('A') });
    const sums = readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8');
    expect(sums).toBe(`${sha('A')}  a.iso\n${sha('B')}  b.iso\n`);
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' })).toBe('a.iso: OK\nb.iso: OK\n');
  });

  it('replaces several files at once (an ISO and its SBOM) and keeps the list sorted by name', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'fl-sums-'));
    for (const f of ['a.iso', 'a.cdx.json', 'b.iso']) writeFileSync(path.join(dir, f), f);
    await updateSha256Sums(dir, { 'b.iso': sha('b.iso') });
    await updateSha256Sums(dir, { 'a.iso': sha('a.iso'), 'a.cdx.json': sha('a.cdx.json') });
    expect(readFileSync(path.join(dir, 'SHA256SUMS'), 'utf8')).toBe(`${sha('a.cdx.json')}  a.cdx.json\n${sha('a.iso')}  a.iso\n${sha('b.iso')}  b.iso\n`);
    expect(execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: dir, encoding: 'utf8' })).toBe('a.cdx.json: OK\na.iso: OK\nb.iso: OK\n');
  });
});
