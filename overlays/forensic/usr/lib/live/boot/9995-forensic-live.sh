#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# forensic-live: sourced by /bin/live-boot after its own components (hence the name 9995-).
# - While live-boot searches for its medium it mounts every candidate device (check_dev: get_fstype,
#   then mount -o ro): an ext4 or XFS with a dirty journal would be replayed by that "read-only"
#   mount. In forensic mode each device is made read-only right before live-boot first looks at it,
#   which closes the gap between a late disk appearing and the udev rule marking it.
# - live-boot accepts a candidate medium when matches_uuid says so, i.e. by its .disk/live-uuid, a
#   public value. In forensic mode a medium is accepted only if, in addition, its live/filesystem.module
#   and every squashfs layer have the sha256 recorded at build time (conf/forensic-live-layers.sha256,
#   from the second initrd the builder writes after the layers exist). A planted medium with the
#   same markers is refused with a message on the console, and live-boot goes on searching.
# - live-boot skips every later device whose file system UUID it has mounted once
#   (/var/lib/live/boot/devices-already-tried-to-mount). A copy of the real ISO has the genuine UUID,
#   so once that copy was refused the genuine medium would be skipped and the boot would fail: a
#   refusal takes the UUID back out of that list, and remembers the refused device instead
#   (/run/forensic-live/refused) so later scans refuse it again without hashing it again.

Forensic_live_on ()
{
	case " $(cat /proc/cmdline) " in
		*" forensic "*) return 0 ;;
	esac
	return 1
}

Forensic_live_setro ()
{
	Forensic_live_on || return 0
	[ -b "${1}" ] || return 0
	/usr/lib/forensic-live/setro "${1}" 2>/dev/null || true
}

# Same body as live-boot's 9990-misc-helpers.sh version, plus the read-only marking.
get_fstype ()
{
	Forensic_live_setro "${1}"
	blkid -s TYPE -o value $1 2>/dev/null
}

# On the console and in the kernel log (critical: shown even with `quiet`); live-boot captures the
# standard output of the functions that call matches_uuid.
Forensic_live_say ()
{
	echo "<2>forensic-live: ${*}" >/dev/kmsg 2>/dev/null || echo "forensic-live: ${*}" >/dev/console
}

# A refused candidate: its UUID must not make live-boot skip the genuine medium (same UUID when the
# impostor is a copy of the ISO); the device is remembered so that later scans skip it quietly.
Forensic_live_refused ()
{
	_uuid=$(blkid -o value -s UUID "${1}" 2>/dev/null)
	_tried=/var/lib/live/boot/devices-already-tried-to-mount
	if [ -n "${_uuid}" ] && [ -e "${_tried}" ]
	then
		grep -v -x -F "${_uuid}" "${_tried}" >"${_tried}.new" || true
		mv "${_tried}.new" "${_tried}"
	fi
	grep -q -x -F "${1}" /run/forensic-live/refused 2>/dev/null && return 0
	mkdir -p /run/forensic-live
	echo "${1}" >>/run/forensic-live/refused
}

# Checks the layers of the candidate mounted at $1 against the build's list; 0 if all match.
Forensic_live_layers_match ()
{
	_list=/conf/forensic-live-layers.sha256
	_dev=$(awk -v m="${1}" '$2 == m { print $1 }' /proc/mounts 2>/dev/null | tail -n 1)
	if [ -n "${_dev}" ] && grep -q -x -F "${_dev}" /run/forensic-live/refused 2>/dev/null
	then
		Forensic_live_refused "${_dev}"
		return 1
	fi
	if [ ! -s "${_list}" ]
	then
		Forensic_live_say "refusing medium ${_dev:-${1}}: the initrd carries no layer hashes (${_list}); was it booted without live/forensic-layers.img?"
		return 1
	fi
	_start=$(cut -d. -f1 /proc/uptime)
	if ! _out=$(cd "${1}" && sha256sum -c "${_list}" 2>&1)
	then
		Forensic_live_say "refusing medium ${_dev:-${1}}: its live system is not this build's: $(echo "${_out}" | grep -v ': OK$' | tr '\n' ' ')"
		[ -z "${_dev}" ] || Forensic_live_refused "${_dev}"
		return 1
	fi
	_took=$(( $(cut -d. -f1 /proc/uptime) - _start ))
	mkdir -p /run/forensic-live
	echo "${_dev:-${1}} $(wc -l <"${_list}") files match the build's sha256 (${_took} s)" >/run/forensic-live/medium-verified
	Forensic_live_say "medium ${_dev:-${1}}: layers match this build's sha256 (${_took} s)"
	return 0
}

# live-boot's matches_uuid (9990-misc-helpers.sh), with the layer check added in forensic mode.
# In forensic mode the uuid is required even if ignore_uuid was given (the menu never gives it).
matches_uuid ()
{
	if Forensic_live_on
	then
		[ -e /conf/uuid.conf ] || { Forensic_live_say "refusing every medium: no conf/uuid.conf in the initrd"; return 1; }
	elif [ "${IGNORE_UUID}" ] || [ ! -e /conf/uuid.conf ]
	then
		return 0
	fi

	path="${1}"
	uuid="$(cat /conf/uuid.conf)"

	for try_uuid_file in "${path}/.disk/live-uuid"*
	do
		[ -e "${try_uuid_file}" ] || continue

		try_uuid="$(cat "${try_uuid_file}")"

		if [ "${uuid}" = "${try_uuid}" ]
		then
			Forensic_live_on || return 0
			Forensic_live_layers_match "${path}"
			return
		fi
	done

	return 1
}
