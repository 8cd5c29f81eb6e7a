// SPDX-License-Identifier: GPL-3.0-or-later
// start(): the runner's way to run a program beside us (QEMU, the KVM probe): lines as they
// arrive, output to a file, kill (of the whole group when detached), and a start failure reported.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { start } from '../../src/builder/exec/run.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('start', () => {
  it('hands over each line as it arrives and stops on kill', async () => {
    const lines: string[] = [];
    const p = start(['sh', '-c', 'echo one; echo two >&2; exec sleep 30'], { onLine: (l) => lines.push(l) });
    while (lines.length < 2) await new Promise((r) => setTimeout(r, 20));
    expect(lines.sort()).toEqual(['one', 'two']);
    p.kill('SIGKILL');
    const r = await p.done;
    expect(r.signal).toBe('SIGKILL');
    expect(r.startFailure).toBeUndefined();
  });

  it('appends output to a file, and kill reaches the whole group when detached', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'start-'));
    dirs.push(dir);
    const out = path.join(dir, 'out.log');
    writeFileSync(out, '');
    const p = start(['sh', '-c', `echo ready; sleep 30 & echo $! > ${dir}/child; wait`], { detached: true, outputFile: out });
    while (!readFileSync(out, 'utf8').includes('ready')) await new Promise((r) => setTimeout(r, 20));
    while (!readFileSync(path.join(dir, 'child'), { flag: 'a+' }).toString().trim()) await new Promise((r) => setTimeout(r, 20));
    const child = Number(readFileSync(path.join(dir, 'child'), 'utf8'));
    p.kill('SIGTERM');
    await p.done;
    await new Promise((r) => setTimeout(r, 100));
    // Gone, or a zombie waiting for its new parent to reap it: either way no longer running.
    let state = 'gone';
    try {
      state = readFileSync(`/proc/${child}/stat`, 'utf8').split(') ')[1]![0]!;
    } catch {
      // no such process
    }
    expect(['gone', 'Z']).toContain(state);
  });

  it('says why a program could not be started', async () => {
    const r = await start(['/nonexistent/program']).done;
    expect(r.exitCode).toBeUndefined();
    expect(r.startFailure).toMatch(/ENOENT|not found/);
  });
});
