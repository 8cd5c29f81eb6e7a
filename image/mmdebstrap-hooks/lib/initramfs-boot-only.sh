#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Run by both customize.sh hooks ($1 = the new root) before any initramfs is made. The initramfs
# only has to find the boot medium (CD, USB, SD, disk) and mount the layers. MODULES=most and
# live-boot's hook also add every network driver, for network boots (fetch=, NFS, iSCSI), which an
# ISO booted from CD or USB never does: about 230 modules (a third of the initramfs) copied one by
# one by mkinitramfs and then never loaded. After switch_root, udev loads them from the image as
# usual. So: MODULES=list plus a hook that adds what `most` adds except the network class, and
# live-boot's hook diverted (dpkg-divert, as update-initramfs is) for a copy without that one line.
# If live-boot's hook changes shape, the image keeps its network drivers (and the build says so).
# live-boot's early-KMS hook is diverted away too (see below).
set -eu
root="$1"
[ -d "$root/etc/initramfs-tools" ] || exit 0   # no initramfs-tools in this image
mkdir -p "$root/etc/initramfs-tools/conf.d" "$root/etc/initramfs-tools/hooks"
cat > "$root/etc/initramfs-tools/conf.d/build-live-boot-only" <<'CONF'
# build-live: the modules are added by hooks/build-live-boot-only (MODULES=most without the network drivers).
MODULES=list
CONF
cat > "$root/etc/initramfs-tools/hooks/build-live-boot-only" <<'HOOK'
#!/bin/sh
# build-live: the module classes of MODULES=most except "net" (this image boots from CD or USB, never from the network).
case "${1:-}" in prereqs) exit 0 ;; esac
. /usr/share/initramfs-tools/hook-functions
auto_add_modules base ide scsi block ata dasd firewire mmc usb_storage fb
HOOK
chmod 0755 "$root/etc/initramfs-tools/hooks/build-live-boot-only"
# live-boot's kms hook adds i915, radeon and nouveau (with their DRM helpers, 9-37 MB unpacked) for
# an early-KMS boot splash that no image has; the firmware's framebuffer is the console until
# udev loads the GPU driver from the image after switch_root, as on any installed Debian system.
kms=/usr/share/initramfs-tools/hooks/kms
if [ -f "$root$kms" ]; then
  chroot "$root" dpkg-divert --quiet --local --rename --divert /usr/share/initramfs-tools/kms-hook.build-live --add "$kms"
fi
hook=/usr/share/initramfs-tools/hooks/live
kept=/usr/share/initramfs-tools/live-hook.build-live   # outside hooks/: mkinitramfs runs every file there
[ -f "$root$hook" ] || exit 0
n=$(grep -c '^auto_add_modules net$' "$root$hook" || true)
if [ "$n" != 1 ]; then
  echo "build-live: live-boot's initramfs hook has $n lines 'auto_add_modules net' (expected 1): the initramfs keeps the network drivers" >&2
  exit 0
fi
chroot "$root" dpkg-divert --quiet --local --rename --divert "$kept" --add "$hook"
sed 's/^auto_add_modules net$/: # build-live: no network boot, so no network drivers in the initramfs/' "$root$kept" > "$root$hook"
chmod 0755 "$root$hook"
