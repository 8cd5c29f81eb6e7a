// SPDX-License-Identifier: GPL-3.0-or-later
// `responder mount` on a real APFS container, in a guest whose kernel has the apfs module (the
// apfs-maker test image: this host's kernel has none). The same guest snippet the forensic
// evidence boot runs (test 50) reads the known file back through a read-only mount, and the
// image's sha256 is unchanged after power-off. Positive control, in the same boot: another copy
// mounted with the driver's `readwrite` and written to does change, so the hash check can fail.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { APFS_GUEST_SNIPPET, APFS_MAKER_PROFILE, apfsEvidenceCopy, apfsEvidenceImage, expectApfsRead } from '../helpers/apfs-evidence.js';
import { bootIso, buildProfile, TEST_OUT } from '../helpers/e2e.js';
import { sha256File } from '../helpers/evidence.js';
import { ensureBundle } from '../helpers/responder-run.js';

const DIR = path.join(TEST_OUT, 'apfs');
let makerIso: string;

const SCRIPT = `#!/bin/bash
set -u
dev() { for d in /sys/block/*; do [ "$(cat "$d/serial" 2>/dev/null)" = "$1" ] && { echo "\${d##*/}"; return 0; }; done; return 1; }
udevadm settle --timeout=30 || true
rc=0
${APFS_GUEST_SNIPPET}
# Positive control, on a second copy: the driver's experimental write support, used on purpose.
c=$(dev APFSCTRL) && mkdir -p /mnt/ctrl && mount -t apfs -o readwrite "/dev/\${c}2" /mnt/ctrl && echo control > /mnt/ctrl/control.txt && umount /mnt/ctrl && sync && echo "CONTROL written"
dmesg | grep -i 'APFS (' | sed 's/^/CONTROL-KLOG /' | tail -n 10
exit $rc
`;

beforeAll(async () => {
  ensureBundle(); // the image carries the responder built from this checkout
  makerIso = (await buildProfile(APFS_MAKER_PROFILE)).iso;
  await apfsEvidenceImage(); // made in a guest once per machine
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });
});

describe('responder mount: APFS', () => {
  it('mounts the container read-only, reads the known file, and changes no byte', async () => {
    const evidence = path.join(DIR, 'apfs-evidence.img');
    const control = path.join(DIR, 'apfs-control.img');
    await apfsEvidenceCopy(evidence);
    await apfsEvidenceCopy(control);
    const before = sha256File(evidence);
    expect(sha256File(control)).toBe(before);
    const script = path.join(DIR, 'apfs.sh');
    writeFileSync(script, SCRIPT);
    const r = await bootIso(makerIso, ['--timeout', '1500', '--script', script, '--disk', `file=${evidence},if=virtio,serial=EVAPFS`, '--disk', `file=${control},if=virtio,serial=APFSCTRL`]);
    process.stdout.write(`apfs boot script output:\n${r.scriptOutput ?? ''}\n`);
    expectApfsRead(r.scriptOutput);
    expect(r.scriptExitCode).toBe(0);
    expect(sha256File(evidence)).toBe(before);
    expect(r.scriptOutput).toContain('CONTROL written');
    expect(sha256File(control)).not.toBe(before);
  });
});
