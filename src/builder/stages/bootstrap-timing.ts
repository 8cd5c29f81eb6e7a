// SPDX-License-Identifier: GPL-3.0-or-later
// Runs mmdebstrap with every output line timestamped as it arrives, and returns how long each
// phase of the bootstrap took (download, unpack, configure, triggers, initramfs, ...).
import { run, SYSTEM_PATH } from '../exec/run.js';
import { log } from '../log.js';
import { PackageCounter, PhaseTracker, phaseOfLine, type PhaseSeconds } from './bootstrap-phases.js';

export interface BootstrapTiming {
  /** Wall-clock seconds of the whole mmdebstrap call. */
  seconds: number;
  phases: PhaseSeconds;
  /** How often an initramfs was generated during the bootstrap (1 with the initramfs-once hook). */
  initramfsRuns: number;
}

/** `progress` gets the phase and the packages unpacked and configured so far, as lines arrive. */
export async function runTimed(argv: readonly string[], progress?: (message: string) => void): Promise<BootstrapTiming> {
  const started = Date.now();
  const tracker = new PhaseTracker(started);
  const counts = new PackageCounter();
  const onLine = (line: string): void => {
    const at = Date.now();
    const phase = phaseOfLine(line);
    if (phase) log.debug(`mmdebstrap +${((at - started) / 1000).toFixed(1)}s ${phase}: ${line.slice(0, 120)}`);
    tracker.line(line, at);
    if (counts.line(line) || phase) progress?.(counts.describe(tracker.phase));
  };
  const result = await run(argv, { label: 'mmdebstrap', onLine, env: { PATH: SYSTEM_PATH } });
  return { seconds: Math.round(result.durationMs / 100) / 10, phases: tracker.finish(started + result.durationMs), initramfsRuns: tracker.initramfsRuns };
}
