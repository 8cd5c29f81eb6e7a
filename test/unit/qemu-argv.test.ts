// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { buildQemuArgv, qemuEscape, type DiskInterface, type QemuArgvOptions } from '../../src/builder/qemu/argv.js';
import { BASE_QEMU_ARGV } from '../helpers/qemu-argv-base.js';

const base: QemuArgvOptions = { ...BASE_QEMU_ARGV, fwCfg: [{ name: 'opt/forensic-live/selftest', string: '1' }] };

/** The value following each occurrence of `flag`. */
function values(argv: string[], flag: string): string[] {
  return argv.flatMap((a, i) => (a === flag ? [argv[i + 1]!] : []));
}

describe('buildQemuArgv', () => {
  it('builds the common part: q35, TCG, memory, no reboot, two serial log files, fw_cfg', () => {
    const argv = buildQemuArgv(base);
    expect(argv[0]).toBe('qemu-system-x86_64');
    expect(values(argv, '-machine')).toEqual(['q35']);
    expect(values(argv, '-accel')).toEqual(['tcg,thread=multi']);
    expect(values(argv, '-cpu')).toEqual(['max']);
    expect(values(argv, '-m')).toEqual(['2048']);
    expect(values(argv, '-smp')).toEqual(['2']);
    expect(argv).toContain('-no-reboot');
    expect(values(argv, '-display')).toEqual(['none']);
    expect(values(argv, '-serial')).toEqual(['file:/run/x/console.log', 'file:/run/x/results.log']);
    expect(values(argv, '-fw_cfg')).toEqual(['name=opt/forensic-live/selftest,string=1']);
    expect(argv).not.toContain('-qmp');
  });

  it('uses KVM when told to', () => {
    const argv = buildQemuArgv({ ...base, accel: 'kvm', memoryMiB: 4096, cpus: 4 });
    expect(values(argv, '-accel')).toEqual(['kvm']);
    expect(values(argv, '-m')).toEqual(['4096']);
    expect(values(argv, '-smp')).toEqual(['4']);
  });

  it('BIOS + cdrom: the ISO as a read-only SATA CD that boots first, no pflash', () => {
    const argv = buildQemuArgv(base);
    const drives = values(argv, '-drive');
    expect(drives).toEqual(['if=none,id=live,format=raw,readonly=on,media=cdrom,file=/out/forensic.iso']);
    expect(values(argv, '-device')).toEqual(['ide-cd,drive=live,bus=ide.0,bootindex=0']);
  });

  it('UEFI: OVMF code read-only and the per-run vars copy writable', () => {
    const argv = buildQemuArgv({ ...base, firmware: 'uefi', ovmfCode: '/usr/share/OVMF/OVMF_CODE_4M.fd', ovmfVars: '/run/x/OVMF_VARS.fd' });
    const drives = values(argv, '-drive');
    expect(drives[0]).toBe('if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd');
    expect(drives[1]).toBe('if=pflash,format=raw,unit=1,file=/run/x/OVMF_VARS.fd');
    expect(values(argv, '-device')).toContain('ide-cd,drive=live,bus=ide.0,bootindex=0');
  });

  it('Secure Boot: SMM, a secure flash and the firmware with Microsoft keys; only with UEFI', () => {
    const argv = buildQemuArgv({ ...base, firmware: 'uefi', secureBoot: true, ovmfCode: '/usr/share/OVMF/OVMF_CODE_4M.ms.fd', ovmfVars: '/run/x/OVMF_VARS.fd' });
    expect(values(argv, '-machine')).toEqual(['q35,smm=on']);
    expect(values(argv, '-global')).toEqual(['driver=cfi.pflash01,property=secure,value=on']);
    expect(values(argv, '-drive')[0]).toBe('if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.ms.fd');
    expect(values(buildQemuArgv({ ...base, firmware: 'uefi', ovmfCode: 'c', ovmfVars: 'v' }), '-global')).toEqual([]);
    expect(() => buildQemuArgv({ ...base, secureBoot: true })).toThrow(/Secure Boot needs UEFI/);
  });

  it('UEFI without OVMF paths is a programming error', () => {
    expect(() => buildQemuArgv({ ...base, firmware: 'uefi' })).toThrow(/ovmfCode/);
  });

  it.each(['bios', 'uefi'] as const)('%s + disk: the ISO as a read-only USB stick on xHCI, booting first', (firmware) => {
    const argv = buildQemuArgv({ ...base, firmware, media: 'disk', ovmfCode: '/c.fd', ovmfVars: '/v.fd' });
    expect(values(argv, '-drive')).toContain('if=none,id=live,format=raw,readonly=on,file=/out/forensic.iso');
    const devices = values(argv, '-device');
    expect(devices[0]).toMatch(/^qemu-xhci,id=xhci/);
    expect(devices).toContain('usb-storage,bus=xhci.0,drive=live,removable=on,bootindex=0');
    expect(devices.some((d) => d.startsWith('ide-cd'))).toBe(false);
  });

  const expectedDevice: Record<DiskInterface, string> = {
    virtio: 'virtio-blk-pci,drive=disk0,serial=EV1',
    ahci: 'ide-hd,drive=disk0,bus=ahci0.0,serial=EV1',
    nvme: 'nvme,drive=disk0,serial=EV1',
    usb: 'usb-storage,bus=xhci.0,drive=disk0,serial=EV1',
    scsi: 'scsi-hd,drive=disk0,bus=scsi0.0,serial=EV1',
    sd: 'sd-card,drive=disk0',
    floppy: 'floppy,bus=fdc0.0,unit=0,drive=disk0',
  };
  for (const media of ['cdrom', 'disk'] as const) {
    it.each(Object.keys(expectedDevice) as DiskInterface[])(`${media} + %s evidence disk: raw, writable, no bootindex`, (iface) => {
      const argv = buildQemuArgv({ ...base, media, disks: [{ path: '/ev/one.img', interface: iface, serial: 'EV1' }] });
      expect(values(argv, '-drive')).toContain('if=none,id=disk0,format=raw,file=/ev/one.img');
      const devices = values(argv, '-device');
      expect(devices).toContain(expectedDevice[iface]);
      if (iface === 'ahci') expect(devices).toContain('ahci,id=ahci0');
      if (iface === 'scsi') expect(devices).toContain('virtio-scsi-pci,id=scsi0');
      if (iface === 'sd') expect(devices).toContain('sdhci-pci,id=sdhci0');
      // The floppy controller's second drive has no medium: the `pc` machine's default fd0.
      if (iface === 'floppy') expect(devices).toEqual(expect.arrayContaining(['isa-fdc,id=fdc0', 'floppy,bus=fdc0.0,unit=1']));
      // Only the live medium may carry a bootindex (an evidence disk with boot code must not win).
      expect(devices.filter((d) => d.includes('bootindex'))).toHaveLength(1);
      // One xHCI controller at most, whether the USB stick, a USB disk, or both need it.
      expect(devices.filter((d) => d.startsWith('qemu-xhci')).length).toBe(media === 'disk' || iface === 'usb' ? 1 : 0);
    });
  }

  it('honours readonly and format, and gives NVMe a serial when none is set', () => {
    const argv = buildQemuArgv({
      ...base,
      disks: [
        { path: '/ev/a.qcow2', interface: 'virtio', readonly: true, format: 'qcow2' },
        { path: '/ev/b.img', interface: 'nvme' },
      ],
    });
    expect(values(argv, '-drive')).toContain('if=none,id=disk0,format=qcow2,readonly=on,file=/ev/a.qcow2');
    expect(values(argv, '-device')).toContain('virtio-blk-pci,drive=disk0');
    expect(values(argv, '-device')).toContain('nvme,drive=disk1,serial=FLDISK1');
  });

  it('spreads AHCI disks over controllers of six ports', () => {
    const disks = Array.from({ length: 7 }, (_, i) => ({ path: `/ev/${i}.img`, interface: 'ahci' as const }));
    const devices = values(buildQemuArgv({ ...base, disks }), '-device');
    expect(devices.filter((d) => /^ahci,/.test(d))).toEqual(['ahci,id=ahci0', 'ahci,id=ahci1']);
    expect(devices).toContain('ide-hd,drive=disk5,bus=ahci0.5');
    expect(devices).toContain('ide-hd,drive=disk6,bus=ahci1.0');
  });

  it('escapes commas in paths and values the QEMU way', () => {
    expect(qemuEscape('a,b,,c')).toBe('a,,b,,,,c');
    const argv = buildQemuArgv({
      ...base,
      iso: '/out/x,y.iso',
      consoleLog: '/r,1/console.log',
      fwCfg: [{ name: 'opt/forensic-live/script', file: '/t/s,1.sh' }],
      monitorSocket: '/r,1/qmp.sock',
    });
    expect(values(argv, '-drive')[0]).toMatch(/file=\/out\/x,,y\.iso$/);
    expect(values(argv, '-serial')[0]).toBe('file:/r,,1/console.log');
    expect(values(argv, '-fw_cfg')).toEqual(['name=opt/forensic-live/script,file=/t/s,,1.sh']);
    expect(values(argv, '-qmp')).toEqual(['unix:/r,,1/qmp.sock,server=on,wait=off']);
  });

  it('rejects fw_cfg entries QEMU would refuse', () => {
    expect(() => buildQemuArgv({ ...base, fwCfg: [{ name: 'forensic-live/x', string: '1' }] })).toThrow(/opt\//);
    expect(() => buildQemuArgv({ ...base, fwCfg: [{ name: 'opt/x' }] })).toThrow(/exactly one/);
    expect(() => buildQemuArgv({ ...base, fwCfg: [{ name: 'opt/x', string: '1', file: '/f' }] })).toThrow(/exactly one/);
  });
});

describe('buildQemuArgv: monitor and hot-plug', () => {
  it('adds a QMP socket and empty PCIe root ports for device_add', () => {
    const argv = buildQemuArgv({ ...base, monitorSocket: '/run/x/qmp.sock', hotplugPorts: 2 });
    expect(values(argv, '-qmp')).toEqual(['unix:/run/x/qmp.sock,server=on,wait=off']);
    expect(values(argv, '-device').filter((d) => d.startsWith('pcie-root-port'))).toEqual(['pcie-root-port,id=hotplug0,chassis=1', 'pcie-root-port,id=hotplug1,chassis=2']);
  });
});
