// SPDX-License-Identifier: GPL-3.0-or-later
// Paths known from public rootkit and worm reports. Data, not logic: each entry names the family
// and where the path comes from, so a responder can look the report up.
//
// Source: chkrootkit 0.57 (Nelson Murilo, Klaus Steding-Jessen; http://www.chkrootkit.org/),
// Debian package chkrootkit 0.57-2, script /usr/sbin/chkrootkit: the file and folder lists of its
// rootkit checks (lines cited below are of that script), which collect the reports of each family.
export interface RootkitPath {
  path: string;
  family: string;
  source: string;
}

const CHK = 'chkrootkit 0.57 /usr/sbin/chkrootkit';

export const ROOTKIT_PATHS: RootkitPath[] = [
  { path: '/tmp/.../a', family: 'w55808 worm', source: `${CHK} line 57` },
  { path: '/tmp/.../r', family: 'w55808 worm', source: `${CHK} line 57` },
  { path: '/tmp/.bugtraq', family: 'Slapper worm', source: `${CHK} line 104` },
  { path: '/tmp/.bugtraq.c', family: 'Slapper worm', source: `${CHK} line 104` },
  { path: '/tmp/.unlock', family: 'Slapper worm', source: `${CHK} line 105` },
  { path: '/tmp/.cinik', family: 'Slapper worm (cinik variant)', source: `${CHK} line 106` },
  { path: '/tmp/.uua', family: 'Scalper worm', source: `${CHK} line 138` },
  { path: '/tmp/.a', family: 'Scalper worm', source: `${CHK} line 138` },
  { path: '/var/run/.tmp', family: 'suspicious files (chkrootkit expert list)', source: `${CHK} line 471` },
  { path: '/usr/man/man1/lib/.lib', family: 'suspicious files (chkrootkit expert list)', source: `${CHK} line 472` },
  { path: '/usr/man/man2/.man8', family: 'suspicious files (chkrootkit expert list)', source: `${CHK} line 473` },
  { path: '/usr/lib/dy0', family: 'suspicious files (chkrootkit expert list)', source: `${CHK} line 476` },
  { path: '/var/spool/lp/admins/.lp', family: 'suspicious files (chkrootkit expert list)', source: `${CHK} line 478` },
  { path: '/lib/.so', family: 'suspicious folder (chkrootkit expert list)', source: `${CHK} line 483` },
  { path: '/usr/include/.. ', family: 'suspicious folder (chkrootkit expert list)', source: `${CHK} line 484` },
  { path: '/usr/lib/.fx', family: 'suspicious folder (chkrootkit expert list)', source: `${CHK} line 485` },
  { path: '/var/local/.lpd', family: 'suspicious folder (chkrootkit expert list)', source: `${CHK} line 486` },
  { path: '/dev/rd/cdb', family: 'suspicious folder (chkrootkit expert list)', source: `${CHK} line 487` },
  { path: '/usr/lib/lib.so1.so', family: 'suspicious folder (chkrootkit expert list)', source: `${CHK} line 488` },
  { path: '/usr/lib/in.httpd', family: 'sniffer logs / trojaned daemons', source: `${CHK} line 492` },
  { path: '/usr/lib/in.pop3d', family: 'sniffer logs / trojaned daemons', source: `${CHK} line 493` },
  { path: '/usr/src/.puta', family: 't0rn rootkit', source: `${CHK} line 497` },
  { path: '/dev/.lib/lib/1i0n.sh', family: 'Lion worm', source: `${CHK} line 509` },
  { path: '/dev/ptyxx', family: 'Linux Rootkit (lrk)', source: `${CHK} line 513` },
  { path: '/bin/rtty', family: 'Ambient (ARK) rootkit', source: `${CHK} line 518` },
  { path: '/bin/squit', family: 'Ambient (ARK) rootkit', source: `${CHK} line 518` },
  { path: '/sbin/pback', family: 'Ambient (ARK) rootkit', source: `${CHK} line 519` },
  { path: '/usr/man/man3/psid', family: 'Ambient (ARK) rootkit', source: `${CHK} line 520` },
  { path: '/etc/rc.d/rsha', family: 'rsha rootkit', source: `${CHK} line 546` },
  { path: '/etc/rc.d/arch/alpha/lib/.lib', family: 'rsha rootkit', source: `${CHK} line 547` },
  { path: '/usr/sbin/in.slogind', family: 'Romanian rootkit', source: `${CHK} line 554` },
  { path: '/dev/chr', family: 'Showtee rootkit', source: `${CHK} line 557` },
  { path: '/usr/include/rpcsvc/du', family: 'Optickit / Tribe bot', source: `${CHK} line 563` },
  { path: '/usr/lib/libt', family: 'Kenga3 rootkit', source: `${CHK} line 570` },
  { path: '/usr/src/.poop', family: 'Ramen worm', source: `${CHK} line 587` },
  { path: '/tmp/ramen.tgz', family: 'Ramen worm', source: `${CHK} line 588` },
  { path: '/etc/xinetd.d/asp', family: 'Ramen worm', source: `${CHK} line 588` },
  { path: '/dev/cuc', family: 'Adore worm', source: `${CHK} line 591` },
  { path: '/lib/defs', family: 'ShitC worm', source: `${CHK} line 594` },
  { path: '/usr/lib/.egcs', family: 'Omega worm', source: `${CHK} line 597` },
  { path: '/usr/lib/.wormie', family: 'Omega worm', source: `${CHK} line 598` },
  { path: '/usr/lib/.kinetic', family: 'Omega worm', source: `${CHK} line 599` },
  { path: '/usr/lib/liblog.o', family: 'Omega worm', source: `${CHK} line 599` },
  { path: '/usr/include/cron.h', family: 'Omega worm', source: `${CHK} line 600` },
  { path: '/usr/include/proc.h', family: 'Omega worm', source: `${CHK} line 601` },
  { path: '/usr/include/syslogs.h', family: 'Omega worm', source: `${CHK} line 602` },
  { path: '/usr/include/chk.h', family: 'Omega worm', source: `${CHK} line 602` },
  { path: '/usr/bin/xchk', family: 'Sadmind/IIS worm', source: `${CHK} line 605` },
  { path: '/usr/bin/xsf', family: 'Sadmind/IIS worm', source: `${CHK} line 605` },
];
