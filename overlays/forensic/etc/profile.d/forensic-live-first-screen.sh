# SPDX-License-Identifier: GPL-3.0-or-later
# forensic-live: the first screen after the console's autologin says which mode is running
# (read from the kernel command line, so the non-forensic entry of the same ISO says so too) and
# the first command to type. Only for interactive login shells on a terminal.
case $- in *i*) ;; *) return 0 ;; esac
[ -t 1 ] || return 0
if grep -qw forensic /proc/cmdline 2>/dev/null; then
  _fl_mode='FORENSIC MODE: every disk is read-only; nothing is mounted, assembled, swapped on or networked'
else
  _fl_mode='LIVE MODE, NOT FORENSIC: disks are writable; reboot and pick the forensic entry to examine evidence'
fi
printf '\n  forensic-live  %s\n\n' "$_fl_mode"
printf '  First command:   responder devices        (runs as root through sudo by itself)\n'
printf '  Then:            responder collect prepare DISK --serial SERIAL   (your empty USB disk)\n'
printf '                   responder case open /mnt/collection/CASE-ID --case CASE-ID --examiner NAME --evidence ID\n'
printf '                   responder acquire /dev/sdX;  responder report\n'
printf '  Every command:   responder --help\n\n'
unset _fl_mode
