// SPDX-License-Identifier: GPL-3.0-or-later
// A resolved profile literal for unit tests of pure functions (no files, no network).
import type { Profile } from '../../src/builder/profile/index.js';

export function sampleProfile(overrides: Partial<Profile> = {}): Profile {
  const p = {
    name: 'sample',
    sourceFiles: ['/repo/profiles/sample.yaml'],
    distribution: {
      suite: 'bookworm',
      architecture: 'amd64',
      mirror: 'http://deb.debian.org/debian',
      security_mirror: 'http://deb.debian.org/debian-security',
      updates: true,
      components: ['main'],
      variant: 'minbase',
      snapshot: null,
    },
    packages: ['linux-image-amd64', 'live-boot', 'systemd-sysv'],
    slim: false,
    image: { hostname: 'debian-live', locale: 'C.UTF-8', timezone: 'Etc/UTC', user: { name: 'user', autologin: true, groups: [] } },
    overlays: [],
    hooks: [],
    squashfs: { compression: 'zstd', level: 3, block_size: '1M' },
    boot: {
      firmware: ['bios', 'uefi'],
      volume_label: 'SAMPLE_LIVE',
      timeout: 5,
      default: 'live',
      kernel_options: ['boot=live', 'console=ttyS0,115200n8', 'console=tty0'],
      entries: [
        { id: 'live', label: 'Live system', options: ['quiet'] },
        { id: 'rescue', label: "Rescue shell (it's plain)", options: ['systemd.unit=rescue.target'] },
      ],
      serial_console: { enabled: true, port: 0, speed: 115200 },
      secure_boot: false,
    },
    forensic: { enabled: false, label: 'Forensic mode (evidence disks read-only)', live_entries: true },
    toolkit: { responder: false },
    reference: { enabled: false, suites: [], priorities: [], packages: [], dependencies: true, all: false },
    reproducible: { source_date_epoch: 'archive' },
    kernel: { package: 'linux-image-amd64', dkms: [], sources: [], prebuilt: [], load: [], blacklist: [], initramfs: [], signing: null },
    ...overrides,
  };
  return p as unknown as Profile;
}
