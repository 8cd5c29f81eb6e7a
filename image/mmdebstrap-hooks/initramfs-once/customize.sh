#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mmdebstrap customize hook ($1 = the new root): undo essential.sh's diversion, then build the
# initramfs once for every installed kernel, now that every package's hooks are in place.
set -eu
root="$1"
rm -f "$root/usr/sbin/update-initramfs"
chroot "$root" dpkg-divert --quiet --local --rename --divert /usr/sbin/update-initramfs.build-live --remove /usr/sbin/update-initramfs
"$(dirname "$0")/../lib/initramfs-boot-only.sh" "$root"
[ -x "$root/usr/sbin/update-initramfs" ] || exit 0   # no initramfs-tools in this image
for kernel in "$root"/boot/vmlinuz-*; do
  [ -e "$kernel" ] || continue
  chroot "$root" update-initramfs -c -k "${kernel##*/vmlinuz-}"
done
