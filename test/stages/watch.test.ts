// SPDX-License-Identifier: GPL-3.0-or-later
// A build you can watch (issue #16, item 7): the build log gets each line while the command still
// runs, the bootstrap reports packages unpacked and configured as dpkg prints them, and a
// progress bar redrawn with carriage returns reaches the task line but not the log.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lineFeeder, run, setBuildLog, setExecutor } from '../../src/builder/exec/run.js';
import { runPipeline } from '../../src/builder/pipeline/run-pipeline.js';
import { bootstrapStage } from '../../src/builder/stages/bootstrap.js';
import { squashfsProgress } from '../../src/builder/stages/squashfs-argv.js';
import { setLogMode } from '../../src/builder/log.js';
import { testBuild, type TestBuild } from './fake-runner.js';

const builds: TestBuild[] = [];
const dirs: string[] = [];
afterEach(() => {
  setExecutor(undefined);
  setBuildLog(undefined);
  for (const b of builds.splice(0)) b.remove();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempLog(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'watch-'));
  dirs.push(dir);
  const file = path.join(dir, 'build.log');
  writeFileSync(file, '');
  return file;
}

const MMDEBSTRAP_LINES = ['I: installing remaining packages inside the chroot...', 'Unpacking base-files (12.4)', 'Unpacking bash (5.2)', 'Setting up base-files (12.4)', 'Setting up bash (5.2)'];

describe('watching a build', () => {
  it('the bootstrap writes each line to the build log as it comes and reports packages unpacked and configured', async () => {
    setLogMode('quiet', false);
    const log = tempLog();
    setBuildLog(log);
    const inLogWhileRunning: boolean[] = [];
    setExecutor(async (argv, _opts, onLine) => {
      if (argv[0] === 'mmdebstrap') {
        const root = argv.find((a) => a.endsWith('/root'))!;
        for (const d of ['boot', 'etc']) mkdirSync(path.join(root, d), { recursive: true });
        writeFileSync(path.join(root, 'boot', 'vmlinuz-6.1.0-99-amd64'), '');
        for (const line of MMDEBSTRAP_LINES) {
          onLine(line);
          // The command has not ended: `tail -f` must already show the line.
          inLogWhileRunning.push(readFileSync(log, 'utf8').includes(`mmdebstrap | ${line}\n`));
        }
      }
      const stdout = argv[0] === 'dpkg-query' ? 'installed\tbash\t5.2\tamd64\n' : '';
      return { exitCode: 0, stdout, stderr: '', all: stdout, failed: false };
    });
    const b = testBuild();
    builds.push(b);
    const progress: string[] = [];
    await runPipeline(b.ctx, [bootstrapStage], { renderer: 'silent', onProgress: (stage, m) => progress.push(`${stage}: ${m}`) });
    expect(inLogWhileRunning).toEqual(MMDEBSTRAP_LINES.map(() => true));
    expect(progress).toEqual([
      'bootstrap: unpack: 0 packages unpacked, 0 configured',
      'bootstrap: unpack: 1 packages unpacked, 0 configured',
      'bootstrap: unpack: 2 packages unpacked, 0 configured',
      'bootstrap: configure: 2 packages unpacked, 1 configured',
      'bootstrap: configure: 2 packages unpacked, 2 configured',
    ]);
  });

  it('the real runner appends a line to the build log before the command ends', async () => {
    const log = tempLog();
    setBuildLog(log);
    const seen: string[] = [];
    const done = run(['sh', '-c', 'echo first; sleep 2; echo second'], { label: 'slow' });
    const started = Date.now();
    while (!readFileSync(log, 'utf8').includes('slow | first') && Date.now() - started < 5000) await new Promise((r) => setTimeout(r, 20));
    seen.push(readFileSync(log, 'utf8'));
    await done;
    expect(seen[0]).toContain('slow | first\n');
    expect(seen[0]).not.toContain('slow | second');
    expect(readFileSync(log, 'utf8')).toMatch(/slow \| second\nslow \| exit 0 after/);
  });

  it('a progress bar redrawn in place goes to onUpdate; the log gets the last state only', () => {
    const lines: string[] = [];
    const updates: string[] = [];
    const feed = lineFeeder(
      (l) => lines.push(l),
      (u) => updates.push(u),
    );
    const bytes = Buffer.from('Creating 4.0 filesystem\r\n\r[==   ] 1/4  25%\r[==== ] 3/4  75%\r[=====] 4/4 100%\nExportable Squashfs\nJörg\n');
    // Byte by byte: a redraw, a CRLF or a UTF-8 character split across chunks changes nothing.
    for (const b of bytes) feed.push(Buffer.from([b]));
    feed.end();
    expect(lines).toEqual(['Creating 4.0 filesystem', '[=====] 4/4 100%', 'Exportable Squashfs', 'Jörg']);
    expect(updates.map(squashfsProgress).filter(Boolean)).toEqual(['25% (1/4 blocks)', '75% (3/4 blocks)', '100% (4/4 blocks)']);
  });

  it("mksquashfs's own progress bar reaches onUpdate through the real runner", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'watch-sq-'));
    dirs.push(dir);
    mkdirSync(path.join(dir, 'src'));
    for (let i = 0; i < 200; i++) writeFileSync(path.join(dir, 'src', `f${i}`), Buffer.alloc(40_000, i));
    const log = tempLog();
    setBuildLog(log);
    const updates: string[] = [];
    await run(['mksquashfs', path.join(dir, 'src'), path.join(dir, 'out.sq'), '-noappend', '-comp', 'gzip'], { onUpdate: (u) => updates.push(u) });
    expect(updates.map(squashfsProgress).filter(Boolean).at(-1)).toMatch(/^100% \(\d+\/\d+ blocks\)$/);
    expect(readFileSync(log, 'utf8')).not.toContain('\r');
  });
});
