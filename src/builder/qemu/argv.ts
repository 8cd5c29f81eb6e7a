// SPDX-License-Identifier: GPL-3.0-or-later
// The qemu-system-x86_64 command line of a boot test, as a pure function of its options so every
// firmware/media/disk combination can be unit-tested without starting QEMU.
import { userNetArgv, type UserNet } from './user-net.js';

export type Firmware = 'bios' | 'uefi';
/** 'cdrom': the ISO as a SATA CD. 'disk': the ISO as a USB stick (the hybrid MBR/GPT path). */
export type Media = 'cdrom' | 'disk';
export type DiskInterface = 'virtio' | 'ahci' | 'nvme' | 'usb' | 'scsi' | 'sd' | 'floppy';
export type ResolvedAccel = 'kvm' | 'tcg';

/**
 * scsi: scsi-hd on a virtio-scsi controller; sd: an SD card on an SDHCI controller (QEMU wants a
 * power-of-two size); floppy: a 1.44 MB drive on an ISA floppy controller (q35 has none by default),
 * whose second drive stays empty, i.e. a drive without a medium as the `pc` machine's default fd0.
 */
export const DISK_INTERFACES: readonly DiskInterface[] = ['virtio', 'ahci', 'nvme', 'usb', 'scsi', 'sd', 'floppy'];

export interface DiskSpec {
  path: string;
  interface: DiskInterface;
  /** Serial number the guest sees (how tests find "their" disk in /sys/block); not for sd and floppy, which have none. */
  serial?: string;
  /** Read-only at the QEMU level. Off by default: the image itself must protect evidence disks. */
  readonly?: boolean;
  format?: 'raw' | 'qcow2';
  /**
   * USB and scsi: report removable media, as a USB stick or a card reader does (live-boot scans
   * removable devices first). A removable scsi disk appears without USB's enumeration delay.
   */
  removable?: boolean;
}

/** A fw_cfg entry: exactly one of string/file. Names must start with `opt/` (QEMU's rule). */
export interface FwCfgEntry {
  name: string;
  string?: string;
  file?: string;
}

export interface QemuArgvOptions {
  /** Defaults to `qemu-system-x86_64` (looked up on PATH). */
  qemu?: string;
  iso: string;
  firmware: Firmware;
  media: Media;
  disks: DiskSpec[];
  accel: ResolvedAccel;
  memoryMiB?: number;
  cpus?: number;
  /** First serial port (ttyS0): kernel and GRUB console. */
  consoleLog: string;
  /** Second serial port (ttyS1): the self-test results. */
  resultsLog: string;
  /**
   * UEFI only: Secure Boot enforced. Needs the OVMF build with Microsoft's keys enrolled
   * (OVMF_CODE_4M.ms.fd + OVMF_VARS_4M.ms.fd) and SMM, which that firmware requires.
   */
  secureBoot?: boolean;
  /** UEFI only: the read-only firmware code. */
  ovmfCode?: string;
  /** UEFI only: a per-run copy of the variable store (it is written to). */
  ovmfVars?: string;
  fwCfg: FwCfgEntry[];
  /** Path of a QMP unix socket to create (see monitor.ts). */
  monitorSocket?: string;
  /**
   * Empty PCIe root ports `hotplug0`, `hotplug1`, ... for disks added while the guest runs
   * (`device_add virtio-blk-pci,bus=hotplug0,drive=...`): q35's root bus itself refuses hot-plug.
   */
  hotplugPorts?: number;
  /** A restricted user-mode network card (user-net.ts); none by default. */
  net?: UserNet;
}

export const DEFAULT_MEMORY_MIB = 2048;
export const DEFAULT_CPUS = 2;
// qemu-xhci ports per speed; usb-storage devices are attached without explicit port numbers.
const XHCI_PORTS = 8;
// The six ports of one AHCI controller (bus names ahciN.0 .. ahciN.5).
const AHCI_PORTS = 6;

/** QEMU's option syntax splits on commas; a literal comma in a value is written twice. */
export function qemuEscape(value: string): string {
  return value.replace(/,/g, ',,');
}

export function buildQemuArgv(o: QemuArgvOptions): string[] {
  const a: string[] = [o.qemu ?? 'qemu-system-x86_64'];
  // q35 for both firmwares: OVMF needs it, and SeaBIOS boots from its SATA (AHCI) CD as well,
  // so BIOS and UEFI runs see the same hardware.
  if (o.secureBoot && o.firmware !== 'uefi') throw new Error('buildQemuArgv: Secure Boot needs UEFI firmware');
  a.push('-machine', o.secureBoot ? 'q35,smm=on' : 'q35');
  if (o.accel === 'kvm') a.push('-accel', 'kvm', '-cpu', 'max');
  else a.push('-accel', 'tcg,thread=multi', '-cpu', 'max');
  a.push('-m', String(o.memoryMiB ?? DEFAULT_MEMORY_MIB), '-smp', String(o.cpus ?? DEFAULT_CPUS));
  // Power-off (and a crash's reboot) ends QEMU; nothing is drawn anywhere.
  a.push('-no-reboot', '-display', 'none', '-nodefaults', '-vga', 'std');
  a.push('-serial', `file:${qemuEscape(o.consoleLog)}`, '-serial', `file:${qemuEscape(o.resultsLog)}`);

  if (o.firmware === 'uefi') {
    if (!o.ovmfCode || !o.ovmfVars) throw new Error('buildQemuArgv: UEFI needs ovmfCode and ovmfVars');
    // The secure flash keeps the OS from rewriting the enrolled keys (SMM-protected variables).
    if (o.secureBoot) a.push('-global', 'driver=cfi.pflash01,property=secure,value=on');
    a.push('-drive', `if=pflash,format=raw,unit=0,readonly=on,file=${qemuEscape(o.ovmfCode)}`);
    a.push('-drive', `if=pflash,format=raw,unit=1,file=${qemuEscape(o.ovmfVars)}`);
  }

  const needsXhci = o.media === 'disk' || o.disks.some((d) => d.interface === 'usb');
  if (needsXhci) a.push('-device', `qemu-xhci,id=xhci,p2=${XHCI_PORTS},p3=${XHCI_PORTS}`);

  // bootindex=0 on the live medium: an evidence disk that carries boot code would otherwise be
  // booted first by SeaBIOS (measured: the guest then hangs silently).
  a.push('-drive', `if=none,id=live,format=raw,readonly=on,${o.media === 'cdrom' ? 'media=cdrom,' : ''}file=${qemuEscape(o.iso)}`);
  if (o.media === 'cdrom') a.push('-device', 'ide-cd,drive=live,bus=ide.0,bootindex=0');
  else a.push('-device', 'usb-storage,bus=xhci.0,drive=live,removable=on,bootindex=0');

  let ahciCount = 0;
  let scsi = false;
  let floppies = 0;
  o.disks.forEach((d, i) => {
    const id = `disk${i}`;
    const ro = d.readonly ? ',readonly=on' : '';
    a.push('-drive', `if=none,id=${id},format=${d.format ?? 'raw'}${ro},file=${qemuEscape(d.path)}`);
    const serial = d.serial !== undefined ? `,serial=${qemuEscape(d.serial)}` : '';
    switch (d.interface) {
      case 'virtio':
        a.push('-device', `virtio-blk-pci,drive=${id}${serial}`);
        break;
      case 'ahci': {
        // Our own controllers rather than q35's built-in one, whose first port holds the CD.
        const ctrl = Math.floor(ahciCount / AHCI_PORTS);
        if (ahciCount % AHCI_PORTS === 0) a.push('-device', `ahci,id=ahci${ctrl}`);
        a.push('-device', `ide-hd,drive=${id},bus=ahci${ctrl}.${ahciCount % AHCI_PORTS}${serial}`);
        ahciCount++;
        break;
      }
      case 'nvme':
        // QEMU refuses an NVMe controller without a serial number.
        a.push('-device', `nvme,drive=${id},serial=${qemuEscape(d.serial ?? `FLDISK${i}`)}`);
        break;
      case 'usb':
        a.push('-device', `usb-storage,bus=xhci.0,drive=${id}${serial}${d.removable ? ',removable=on' : ''}`);
        break;
      case 'scsi':
        if (!scsi) a.push('-device', 'virtio-scsi-pci,id=scsi0');
        scsi = true;
        a.push('-device', `scsi-hd,drive=${id},bus=scsi0.0${serial}${d.removable ? ',removable=on' : ''}`);
        break;
      case 'sd':
        // One SDHCI controller per card (each bus holds one card). The controller's bus is named
        // "sd-bus" whatever its id, so no bus= here: QEMU puts the card on the free one just added
        // (bus=sdhciN-bus was refused: "Bus 'sdhci9-bus' not found").
        a.push('-device', `sdhci-pci,id=sdhci${i}`, '-device', `sd-card,drive=${id}`);
        break;
      case 'floppy':
        if (floppies > 0) throw new Error('buildQemuArgv: one floppy image at most (the second drive stays empty)');
        floppies++;
        a.push('-device', 'isa-fdc,id=fdc0', '-device', `floppy,bus=fdc0.0,unit=0,drive=${id}`, '-device', 'floppy,bus=fdc0.0,unit=1');
        break;
      default: {
        const never: never = d.interface;
        throw new Error(`buildQemuArgv: unknown disk interface ${String(never)}`);
      }
    }
  });

  for (const e of o.fwCfg) {
    if (!e.name.startsWith('opt/')) throw new Error(`buildQemuArgv: fw_cfg name must start with opt/: ${e.name}`);
    if ((e.string === undefined) === (e.file === undefined)) {
      throw new Error(`buildQemuArgv: fw_cfg ${e.name} needs exactly one of string, file`);
    }
    const value = e.string !== undefined ? `string=${qemuEscape(e.string)}` : `file=${qemuEscape(e.file!)}`;
    a.push('-fw_cfg', `name=${qemuEscape(e.name)},${value}`);
  }

  if (o.net) a.push(...userNetArgv(o.net));
  for (let i = 0; i < (o.hotplugPorts ?? 0); i++) a.push('-device', `pcie-root-port,id=hotplug${i},chassis=${i + 1}`);
  if (o.monitorSocket) a.push('-qmp', `unix:${qemuEscape(o.monitorSocket)},server=on,wait=off`);
  return a;
}
