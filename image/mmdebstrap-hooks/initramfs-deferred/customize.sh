#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mmdebstrap customize hook ($1 = the new root) for profiles whose upper layer changes what the
# initramfs is made from (overlay hooks, kernel modules): undo essential.sh's diversion and build
# no initramfs; the builder's initramfs stage generates it once, from the finished image tree.
set -eu
root="$1"
rm -f "$root/usr/sbin/update-initramfs"
chroot "$root" dpkg-divert --quiet --local --rename --divert /usr/sbin/update-initramfs.build-live --remove /usr/sbin/update-initramfs
"$(dirname "$0")/../lib/initramfs-boot-only.sh" "$root"
