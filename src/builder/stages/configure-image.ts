// SPDX-License-Identifier: GPL-3.0-or-later
// The live system's settings: hostname, locale, timezone, machine-id, the live user and its
// autologin. Plain files are written directly; only account tools run inside the chroot.
import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Profile } from '../profile/index.js';
import type { Chroot } from '../exec/chroot.js';
import { UserError } from '../errors.js';

const BUILTIN_LOCALES = new Set(['C', 'C.UTF-8', 'POSIX']);

export async function configureImage(chroot: Chroot, profile: Profile): Promise<void> {
  const img = profile.image;
  const put = async (rel: string, content: string, mode = 0o644) => {
    const file = path.join(chroot.root, rel);
    await mkdir(path.dirname(file), { recursive: true });
    await rm(file, { force: true });
    await writeFile(file, content);
    await chmod(file, mode);
  };

  await put('etc/hostname', `${img.hostname}\n`);
  await put('etc/hosts', `127.0.0.1\tlocalhost\n127.0.1.1\t${img.hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n`);
  // An empty machine-id makes every boot of the live medium get its own (and keeps builds reproducible).
  await put('etc/machine-id', '');
  await rm(path.join(chroot.root, 'var/lib/dbus/machine-id'), { force: true });

  await configureLocale(chroot, img.locale, put);
  await configureTimezone(chroot, img.timezone, put);
  await configureUser(chroot, profile, put);
}

type Put = (rel: string, content: string, mode?: number) => Promise<void>;

async function configureLocale(chroot: Chroot, locale: string, put: Put): Promise<void> {
  await put('etc/default/locale', `LANG=${locale}\n`);
  if (BUILTIN_LOCALES.has(locale)) return;
  if (!existsSync(path.join(chroot.root, 'usr/sbin/locale-gen'))) {
    throw new UserError(`image.locale ${locale} needs the package "locales": add it to the profile's packages (or use C.UTF-8)`);
  }
  const charset = locale.includes('.') ? locale.split('.')[1] : 'UTF-8';
  await put('etc/locale.gen', `${locale} ${charset}\n`);
  await chroot.run(['locale-gen'], { label: 'locale-gen' });
}

async function configureTimezone(chroot: Chroot, zone: string, put: Put): Promise<void> {
  const zoneFile = path.join(chroot.root, 'usr/share/zoneinfo', zone);
  if (!existsSync(zoneFile)) {
    // Without tzdata systemd runs in UTC, which is what an unset UTC zone means anyway.
    if (zone === 'Etc/UTC' || zone === 'UTC') return;
    throw new UserError(`image.timezone ${zone}: no /usr/share/zoneinfo/${zone} in the image (is the package "tzdata" installed, and is the name right?)`);
  }
  await rm(path.join(chroot.root, 'etc/localtime'), { force: true });
  await symlink(`/usr/share/zoneinfo/${zone}`, path.join(chroot.root, 'etc/localtime'));
  await put('etc/timezone', `${zone}\n`);
}

async function configureUser(chroot: Chroot, profile: Profile, put: Put): Promise<void> {
  const user = profile.image.user;
  const argv = ['useradd', '--create-home', '--shell', '/bin/bash', '--user-group'];
  if (user.groups.length) argv.push('--groups', user.groups.join(','));
  await chroot.run([...argv, user.name], { label: 'useradd' });
  // A live session account: no password, so the console is usable without one. Root stays locked.
  await chroot.run(['passwd', '--delete', user.name], { label: 'passwd' });
  if (user.groups.includes('sudo') && existsSync(path.join(chroot.root, 'etc/sudoers.d'))) {
    await put(`etc/sudoers.d/live-user`, `${user.name} ALL=(ALL:ALL) NOPASSWD: ALL\n`, 0o440);
  }
  if (!user.autologin) return;
  await put('etc/systemd/system/getty@tty1.service.d/autologin.conf', `[Service]\nExecStart=\nExecStart=-/sbin/agetty -o '-p -f -- \\\\u' --noclear --autologin ${user.name} %I $TERM\n`);
  await put(
    'etc/systemd/system/serial-getty@.service.d/autologin.conf',
    `[Service]\nExecStart=\nExecStart=-/sbin/agetty -o '-p -f -- \\\\u' --keep-baud --autologin ${user.name} 115200,57600,38400,9600 - $TERM\n`,
  );
}
