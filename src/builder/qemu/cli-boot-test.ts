// SPDX-License-Identifier: GPL-3.0-or-later
// `build-live boot-test`: boot an ISO in QEMU and report the image's self-test.
import { helpText, parseCommand, type CommandSpec, type OptionTable } from '../cli/args.js';
import { UserError } from '../errors.js';
import { getLogMode, setLogMode } from '../log.js';
import { ACCEL_CHOICES, type AccelChoice } from './accel.js';
import { DISK_INTERFACES, type DiskInterface, type DiskSpec, type Firmware, type Media } from './argv.js';
import { bootTest, DEFAULT_TIMEOUT_S, requireFile, type BootTestResult } from './boot-test.js';
import { HOTPLUG_INTERFACES } from './hotplug.js';
import { parseMenuKeys } from './menu-keys.js';
import { GUEST_FORWARD_ADDRESS, parseForward, type NetForward } from './user-net.js';

const BOOT_TEST_OPTIONS = {
  iso: { type: 'string', arg: 'FILE', help: 'the ISO to boot (required)' },
  firmware: { type: 'string', arg: 'bios|uefi', help: 'SeaBIOS or OVMF (default bios)' },
  'secure-boot': { type: 'boolean', help: "UEFI with Microsoft's keys enrolled and Secure Boot enforced\n(OVMF_CODE_4M.ms.fd); needs --firmware uefi" },
  media: { type: 'string', arg: 'cdrom|disk', help: 'the ISO as a SATA CD, or as a USB stick (the hybrid image path) (default cdrom)' },
  disk: {
    type: 'string',
    multiple: true,
    arg: 'SPEC',
    help: 'attach a disk image (repeatable): PATH (virtio), or\nfile=PATH[,if=virtio|ahci|nvme|usb|scsi|sd|floppy][,serial=S][,ro][,format=raw|qcow2]\n[,removable] (USB, scsi: removable media)',
  },
  'hotplug-disk': {
    type: 'string',
    multiple: true,
    arg: 'SPEC',
    help: 'hot-plug a disk (if=virtio|nvme, same SPEC as --disk) through the QEMU\nmonitor once the guest is up (the first self-test line); repeatable',
  },
  script: { type: 'string', arg: 'FILE', help: 'run FILE as root in the guest after the self-test; its output is shown' },
  net: {
    type: 'boolean',
    help: "a virtio network card on QEMU's user-mode network with restrict=on: DHCP\nfrom QEMU, and the guest reaches no address at all (not even the host)\nexcept the forwards below",
  },
  'net-forward': {
    type: 'string',
    multiple: true,
    arg: 'PORT:HOSTPORT',
    help: `(with --net; repeatable) the guest's TCP connections to\n${GUEST_FORWARD_ADDRESS}:PORT go to 127.0.0.1:HOSTPORT on this host`,
  },
  'menu-keys': {
    type: 'string',
    arg: 'KEYS',
    help: 'once GRUB\'s menu shows on the console, press KEYS (QEMU key names,\ne.g. "down,ret,down,down,ret") on the guest\'s keyboard: boots another entry',
  },
  timeout: { type: 'string', arg: 'S', help: `give up after S seconds (default ${DEFAULT_TIMEOUT_S})` },
  accel: { type: 'string', arg: 'auto|kvm|tcg', help: 'auto tries KVM once and falls back to TCG if the guest stays silent' },
  'run-dir': { type: 'string', arg: 'DIR', help: "keep QEMU's logs in DIR (default: a new directory under the temp dir)" },
} as const satisfies OptionTable;

export const BOOT_TEST: CommandSpec<typeof BOOT_TEST_OPTIONS> = {
  usage: 'build-live boot-test --iso FILE [options]',
  about: `Boot an ISO in QEMU with the self-test switched on (fw_cfg opt/forensic-live/selftest) and report
every check the image ran. Exit code 0 when the image reports PASS (and a --script exits 0).`,
  options: BOOT_TEST_OPTIONS,
  common: { json: 'print one JSON object instead of the summary', verbose: 'show each check as it arrives' },
  column: 24,
};

export const BOOT_TEST_HELP = helpText(BOOT_TEST);

export async function bootTestCommand(argv: string[]): Promise<number> {
  const { values } = parseCommand(BOOT_TEST, argv);
  if (values.help) {
    process.stdout.write(BOOT_TEST_HELP + '\n');
    return 0;
  }
  const iso = values.iso;
  if (!iso) throw new UserError('--iso is required', 'e.g. build-live boot-test --iso out/forensic.iso', 2);
  requireFile(iso, 'ISO', 2);
  const script = values.script;
  if (script !== undefined) requireFile(script, 'script', 2);
  const firmware = oneOf<Firmware>('--firmware', values.firmware, ['bios', 'uefi'], 'bios');
  const secureBoot = Boolean(values['secure-boot']);
  if (secureBoot && firmware !== 'uefi') throw new UserError('--secure-boot needs --firmware uefi', undefined, 2);
  const media = oneOf<Media>('--media', values.media, ['cdrom', 'disk'], 'cdrom');
  const accel = oneOf<AccelChoice>('--accel', values.accel, ACCEL_CHOICES, 'auto');
  const disks = (values.disk ?? []).map(parseDiskSpec);
  for (const d of disks) requireFile(d.path, 'disk image', 2);
  const hotplugDisks = (values['hotplug-disk'] ?? []).map(parseDiskSpec);
  for (const d of hotplugDisks) {
    requireFile(d.path, 'disk image', 2);
    if (!HOTPLUG_INTERFACES.includes(d.interface)) throw new UserError(`--hotplug-disk: if=${d.interface} cannot be hot-plugged`, `use if=${HOTPLUG_INTERFACES.join(' or if=')}`, 2);
  }
  const timeoutS = parseTimeout(values.timeout);
  const forwards = (values['net-forward'] ?? []).map((f): NetForward => {
    const parsed = parseForward(f);
    if (!parsed) throw new UserError(`--net-forward ${f}: not PORT:HOSTPORT`, 'e.g. --net-forward 9000:40123', 2);
    return parsed;
  });
  if (forwards.length && !values.net) throw new UserError('--net-forward needs --net', undefined, 2);
  const net = values.net ? { forwards } : undefined;
  const keySpec = values['menu-keys'];
  const menuKeys = keySpec === undefined ? undefined : parseMenuKeys(keySpec);
  if (keySpec !== undefined && !menuKeys) throw new UserError(`--menu-keys "${keySpec}": not a list of QEMU key names`, 'e.g. --menu-keys down,ret', 2);

  const json = Boolean(values.json);
  const before = getLogMode();
  // --json promises exactly one JSON object on stdout: no progress events in between.
  if (json) setLogMode('quiet');
  let result: BootTestResult;
  try {
    result = await bootTest({ iso, firmware, secureBoot, media, disks, hotplugDisks, script, timeoutS, accel, net, menuKeys, keepDir: values['run-dir'] });
  } finally {
    if (json) setLogMode(before, Boolean(values.verbose));
  }
  const ok = result.passed && (script === undefined || result.scriptExitCode === 0);
  if (json) process.stdout.write(JSON.stringify({ iso, firmware, secureBoot, media, ok, ...result }) + '\n');
  else process.stdout.write(formatSummary(result, { iso, firmware, media, script: script !== undefined }));
  return ok ? 0 : 1;
}

/** The human summary: one line per check, the verdict, and where the logs are. */
export function formatSummary(r: BootTestResult, run: { iso: string; firmware: Firmware; media: Media; script: boolean }): string {
  const out: string[] = [`boot-test ${run.iso} (${run.firmware}, ${run.media}, ${r.accel}): ${(r.durationMs / 1000).toFixed(1)} s`];
  for (const c of r.checks) out.push(`  ${c.pass ? '✓' : '✗'} ${c.check}${c.detail ? `: ${c.detail.replace(/\n/g, ' | ')}` : ''}`);
  if (run.script) {
    if (r.scriptOutput)
      out.push(
        'script output:',
        ...r.scriptOutput
          .replace(/\n$/, '')
          .split('\n')
          .map((l) => `  | ${l}`),
      );
    out.push(`script exit code: ${r.scriptExitCode ?? 'none (did not finish)'}`);
  }
  out.push(r.passed ? 'PASS' : `FAIL${r.finalLine ? '' : ' (no self-test verdict)'}`);
  if (r.reason) out.push(`reason: ${r.reason}`);
  if (!r.finalLine && r.consoleTail)
    out.push(
      'last console lines:',
      ...r.consoleTail
        .split('\n')
        .slice(-15)
        .map((l) => `  | ${l}`),
    );
  out.push(`logs: ${r.consolePath} (console), ${r.resultsPath} (results), ${r.qemuLogPath} (QEMU)`);
  return out.join('\n') + '\n';
}

/** `PATH` (virtio) or QEMU-style `file=PATH,if=nvme,serial=EV1,ro,format=raw` (`,,` is a literal comma). */
export function parseDiskSpec(value: string): DiskSpec {
  if (!value.includes('=')) return { path: value, interface: 'virtio' };
  const spec: Partial<DiskSpec> = {};
  for (const part of value
    .replace(/,,/g, '\0')
    .split(',')
    .map((p) => p.replace(/\0/g, ','))) {
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    const val = eq === -1 ? undefined : part.slice(eq + 1);
    switch (key) {
      case 'file':
      case 'path':
        spec.path = val;
        break;
      case 'if':
      case 'interface':
        spec.interface = oneOf<DiskInterface>('--disk if', val, DISK_INTERFACES, 'virtio');
        break;
      case 'serial':
        spec.serial = val;
        break;
      case 'ro':
      case 'readonly':
        spec.readonly = val === undefined || ['on', 'yes', 'true', '1'].includes(val);
        break;
      case 'removable':
        spec.removable = val === undefined || ['on', 'yes', 'true', '1'].includes(val);
        break;
      case 'format':
        spec.format = oneOf<'raw' | 'qcow2'>('--disk format', val, ['raw', 'qcow2'], 'raw');
        break;
      default:
        throw new UserError(`--disk ${value}: unknown key "${key}"`, 'keys: file, if, serial, ro, format, removable', 2);
    }
  }
  if (!spec.path) throw new UserError(`--disk ${value}: no file=PATH`, 'e.g. --disk file=evidence.img,if=nvme,serial=EV1', 2);
  return { path: spec.path, interface: spec.interface ?? 'virtio', ...omitUndefined({ serial: spec.serial, readonly: spec.readonly, format: spec.format, removable: spec.removable }) };
}

function omitUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function oneOf<T extends string>(flag: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UserError(`${flag} must be one of ${allowed.join(', ')}, not "${String(value)}"`, undefined, 2);
}

function parseTimeout(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_S;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UserError(`--timeout must be a positive number of seconds, not "${value}"`, undefined, 2);
  return n;
}
