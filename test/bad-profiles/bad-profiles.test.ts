// SPDX-License-Identifier: GPL-3.0-or-later
// One tiny profile per mistake: each must fail validation with the expected first problem
// (file:line:col: key.path: message). The shipped profiles must load cleanly.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/builder/errors.js';
import { loadProfile } from '../../src/builder/features/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

// The first problem each file must report (a substring: messages start with the file's path).
const expected: Record<string, string> = {
  'unknown-key.yaml': "unknown-key.yaml:3:1: pakages: unknown key 'pakages' (did you mean 'packages'?)",
  'unknown-nested-key.yaml': "unknown-nested-key.yaml:4:3: distribution.suit: unknown key 'suit' (did you mean 'suite'?)",
  'wrong-type.yaml': "wrong-type.yaml:3:7: slim: expected true or false, got a string ('yes')",
  'bad-enum.yaml': "bad-enum.yaml:4:16: squashfs.compression: 'lzo' is not one of: zstd, xz, gzip",
  'cycle-a.yaml': 'cycle-b.yaml:2:10: extends: cycle: cycle-a.yaml -> cycle-b.yaml -> cycle-a.yaml',
  'cycle-b.yaml': 'cycle-a.yaml:2:10: extends: cycle: cycle-b.yaml -> cycle-a.yaml -> cycle-b.yaml',
  'missing-parent.yaml': "missing-parent.yaml:2:10: extends: 'basee': no profile profiles/basee.yaml (did you mean 'base'?)",
  'missing-overlay.yaml': "missing-overlay.yaml:3:12: overlays[0]: overlay folder overlays/commn does not exist (did you mean 'common'?)",
  'yaml-syntax.yaml': 'yaml-syntax.yaml:4:1: YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ]',
  'not-a-mapping.yaml': 'not-a-mapping.yaml:2:1: a profile must be a mapping of keys (description, extends, packages, ...); got a list',
  'hook-both.yaml': 'hook-both.yaml:4:5: hooks[0]: has both script and command: give exactly one',
  'hook-neither.yaml': 'hook-neither.yaml:4:5: hooks[0]: needs script (a file to run) or command (an argv): give exactly one',
  'missing-hook-script.yaml': 'missing-hook-script.yaml:6:13: hooks[0].script: hook script test/bad-profiles/hooks/tidy-apt.sh does not exist',
  'bad-package-name.yaml': 'bad-package-name.yaml:5:5: packages[1]: not a Debian package name',
  'default-entry-missing.yaml': "default-entry-missing.yaml:4:12: boot.default: 'rescue' is not the id of a boot entry (entries: live)",
  'volume-label-long.yaml': 'volume-label-long.yaml:4:17: boot.volume_label: must be at most 32 characters (ISO 9660 volume id)',
  'volume-label-lowercase.yaml': 'volume-label-lowercase.yaml:4:17: boot.volume_label: may only use A-Z 0-9 _ (ISO 9660 volume id; no lowercase)',
  'xz-level.yaml': 'xz-level.yaml:4:10: squashfs.level: xz takes no level',
  'xz-inherited-level.yaml': 'xz-inherited-level.yaml:4:16: squashfs.compression: xz takes no level, but level 9 is inherited from profiles/base.yaml:',
  'level-out-of-range.yaml': 'level-out-of-range.yaml:4:10: squashfs.level: 12 is out of range for gzip (1-9)',
  'remove-missing.yaml': "remove-missing.yaml:4:5: packages[0]: cannot remove 'nanoo': no parent profile has it in packages (did you mean 'nano'?)",
  'remove-without-extends.yaml': "remove-without-extends.yaml:4:5: packages[1]: 'remove: nano' needs a parent profile, and this one has no 'extends'",
  'duplicate-entry-id.yaml': "duplicate-entry-id.yaml:8:11: boot.entries[1].id: duplicate id 'rescue' (also at line 5)",
  'duplicate-hook-name.yaml': "duplicate-hook-name.yaml:7:11: hooks[1].name: duplicate name 'tidy' (also at line 4)",
  'empty-firmware.yaml': 'empty-firmware.yaml:4:3: boot.firmware: needs at least one of bios, uefi',
  'secure-boot-bios-only.yaml': 'secure-boot-bios-only.yaml:6:16: boot.secure_boot: needs uefi in boot.firmware (Secure Boot is a UEFI feature)',
  'snapshot-time.yaml': 'snapshot-time.yaml:4:13: distribution.snapshot: must be a snapshot.debian.org time like 20261128T000000Z',
  'serial-id-taken.yaml': "serial-id-taken.yaml:5:11: boot.entries[0].id: 'serial' is reserved for the generated serial-console entry",
};

const threeMistakes = [
  "three-mistakes.yaml:4:12: distribution.variant: 'tiny' is not one of: minbase, apt, important, standard",
  'three-mistakes.yaml:7:5: packages[1]: not a Debian package name',
  "three-mistakes.yaml:9:3: image.hostnme: unknown key 'hostnme' (did you mean 'hostname'?)",
];

async function validationError(file: string): Promise<ValidationError> {
  try {
    await loadProfile(path.join(here, file));
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error(`${file} loaded without problems`);
}

describe('bad profiles', () => {
  it('has an expectation for every profile in this folder', () => {
    const files = readdirSync(here).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual([...Object.keys(expected), 'three-mistakes.yaml'].sort());
    expect(files.length).toBeGreaterThanOrEqual(14);
  });

  it.each(Object.entries(expected))('%s', async (file, text) => {
    const err = await validationError(file);
    expect(err.exitCode).toBe(2);
    expect(err.problems[0]).toContain(text);
    // One line per problem: positions and messages never spill over lines.
    for (const problem of err.problems) expect(problem).not.toContain('\n');
  });

  it('reports all three mistakes of one file at once', async () => {
    const err = await validationError('three-mistakes.yaml');
    expect(err.problems).toHaveLength(3);
    threeMistakes.forEach((text, i) => expect(err.problems[i]).toContain(text));
    expect(err.message.split('\n')).toHaveLength(3);
  });
});

describe('shipped profiles', () => {
  it('loads base', async () => {
    const p = await loadProfile('base');
    expect(p.name).toBe('base');
    expect(p.sourceFiles).toHaveLength(1);
    expect(p.packages).toEqual(expect.arrayContaining(['linux-image-amd64', 'live-boot', 'nodejs', 'nano', 'sudo']));
    expect(p.image.user).toEqual({ name: 'user', autologin: true, groups: ['sudo'] });
    expect(p.boot.kernel_options).toEqual(['boot=live', 'components', 'console=ttyS0,115200n8', 'console=tty0']);
    expect(p.squashfs).toEqual({ compression: 'zstd', level: 9, block_size: '1M' });
  });

  it('loads minimal: base without the extras, slim, compressed at the measured level (zstd 9)', async () => {
    const p = await loadProfile('minimal');
    expect(p.sourceFiles.map((f) => path.basename(f))).toEqual(['minimal.yaml', 'base.yaml']);
    expect(p.packages).not.toContain('nano');
    expect(p.packages).not.toContain('sudo');
    expect(p.packages).toContain('nodejs');
    expect(p.image.user.groups).toEqual([]);
    expect(p.slim).toBe(true);
    expect(p.squashfs.level).toBe(9);
    expect(p.packages).toContain('zstd'); // initramfs-tools compresses the initramfs with it
    expect(p.boot.volume_label).toBe('MINIMAL_LIVE');
  });

  it('loads forensic: the tools, its own user, hostname and label', async () => {
    const p = await loadProfile('forensic');
    expect(p.packages).toEqual(expect.arrayContaining(['sleuthkit', 'dc3dd', 'gddrescue', 'hashdeep', 'nano']));
    expect(p.packages.filter((x) => x === 'openssh-client')).toHaveLength(1);
    expect(p.image.user.name).toBe('responder');
    expect(p.image.hostname).toBe('forensic-live');
    expect(p.boot.volume_label).toBe('FORENSIC_LIVE');
    // Forensic mode puts its entry first and makes it the default; `live` stays, marked not forensic.
    expect(p.forensic.enabled).toBe(true);
    expect(p.boot.entries.map((e) => e.id)).toEqual(['forensic', 'live']);
    expect(p.boot.entries[0]!.label).toBe('Forensic live system (forensic mode, evidence disks read-only)');
    expect(p.boot.entries[1]!).toEqual({ id: 'live', label: 'Forensic live system, live mode (NOT forensic: disks writable)', options: [] });
    expect(p.boot.default).toBe('forensic');
    // Slim (no docs, translations or modules for hardware it does not drive) at base's measured level.
    expect(p.slim).toBe(true);
    expect(p.squashfs).toEqual({ compression: 'zstd', level: 9, block_size: '1M' });
  });

  it('enables the serial console (its menu entry is generated from the default entry)', async () => {
    for (const name of ['base', 'minimal', 'forensic']) {
      const p = await loadProfile(name);
      expect(p.boot.serial_console).toEqual({ enabled: true, port: 0, speed: 115200 });
      expect(p.boot.entries.map((e) => e.id)).toContain(p.boot.default);
    }
  });

  it('resolves overlays to absolute folders', async () => {
    const p = await loadProfile('forensic');
    // forensic mode adds overlays/forensic last
    expect(p.overlays.map((o) => o.name)).toEqual(['common', 'forensic']);
    expect(p.overlays[1]!.path).toBe(path.resolve(here, '../../overlays/forensic'));
    expect(path.isAbsolute(p.overlays[0]!.path)).toBe(true);
    expect(p.overlays[0]!.path).toBe(path.resolve(here, '../../overlays/common'));
  });
});
