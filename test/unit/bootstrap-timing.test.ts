// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { runTimed } from '../../src/builder/stages/bootstrap-timing.js';

describe('timing a running mmdebstrap', () => {
  it('stamps lines as they arrive, not when the command ends', async () => {
    // A stand-in for mmdebstrap: its phase lines with pauses between them, on stdout and stderr.
    const script = [
      'echo "I: running apt-get update..." >&2',
      'sleep 0.2',
      'echo "I: installing remaining packages inside the chroot..." >&2',
      'echo "Unpacking udev (252) ..."',
      'sleep 0.8',
      'echo "update-initramfs: Generating /boot/initrd.img-6.1.0-41-amd64"',
      'sleep 0.6',
      'echo "I: cleaning package lists and apt cache..." >&2',
    ].join('\n');
    const t = await runTimed(['sh', '-c', script]);
    expect(t.initramfsRuns).toBe(1);
    // Lower bounds only (a loaded machine can be slower, never faster); a tracker fed only at
    // the end would give every phase 0 and the last one everything.
    expect(t.phases.unpack).toBeGreaterThanOrEqual(0.6);
    expect(t.phases.initramfs).toBeGreaterThanOrEqual(0.4);
    expect(t.phases.update).toBeGreaterThanOrEqual(0.1);
    expect(t.phases.unpack + t.phases.initramfs).toBeLessThanOrEqual(t.seconds + 0.1);
  });
});
