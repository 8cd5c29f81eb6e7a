#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# forensic-live: sourced by /bin/live-boot after its own components (hence the name 9995-). While
# live-boot searches for its medium it mounts every candidate device (check_dev: get_fstype, then
# mount -o ro): an ext4 or XFS with a dirty journal would be replayed by that "read-only" mount.
# In forensic mode each device is made read-only right before live-boot first looks at it, which
# closes the gap between a late disk appearing and the udev rule marking it.

Forensic_live_setro ()
{
	case " $(cat /proc/cmdline) " in
		*" forensic "*) ;;
		*) return 0 ;;
	esac
	[ -b "${1}" ] || return 0
	case "${1}" in
		/dev/ram*|/dev/zram*) return 0 ;;
	esac
	blockdev --setro "${1}" 2>/dev/null || true
}

# Same body as live-boot's 9990-misc-helpers.sh version, plus the read-only marking.
get_fstype ()
{
	Forensic_live_setro "${1}"
	blkid -s TYPE -o value $1 2>/dev/null
}
