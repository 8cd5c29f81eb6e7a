#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mmdebstrap essential hook ($1 = the new root): while the remaining packages are installed, the
# kernel's postinst and the initramfs-tools trigger would each build the initramfs (the slowest
# step of a bootstrap). Divert update-initramfs to a no-op; customize.sh builds it once at the end
# (initramfs-deferred/customize.sh, which shares this file, leaves it to the builder's initramfs stage).
set -eu
root="$1"
chroot "$root" dpkg-divert --quiet --local --rename --divert /usr/sbin/update-initramfs.build-live --add /usr/sbin/update-initramfs
mkdir -p "$root/usr/sbin"
printf '#!/bin/sh\n# build-live: the initramfs is built once, after all packages are installed\nexit 0\n' > "$root/usr/sbin/update-initramfs"
chmod 0755 "$root/usr/sbin/update-initramfs"
