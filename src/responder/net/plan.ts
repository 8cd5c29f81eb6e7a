// SPDX-License-Identifier: GPL-3.0-or-later
// The programs `responder net` runs, as argv arrays, from checked arguments. DHCP is busybox's
// udhcpc (Debian package udhcpc) run with -q -n: it gets one lease, configures the interface
// through its script and exits, so no client daemon stays behind and nothing listens.
import { isIP } from 'node:net';
import { UsageError } from '../lib/errors.js';

export const UDHCPC_SCRIPT = '/etc/udhcpc/default.script';

export function checkInterface(name: string): string {
  // Linux interface names: up to 15 bytes, no slash, whitespace or colon; never an option.
  if (!/^[A-Za-z0-9_.@-]{1,15}$/.test(name) || name.startsWith('-')) throw new UsageError(`not an interface name: ${JSON.stringify(name)}`, 'see: ip -br link');
  return name;
}

export function checkCidr(cidr: string): string {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  const v = m ? isIP(m[1]!) : 0;
  if (!m || !v || Number(m[2]) > (v === 4 ? 32 : 128)) throw new UsageError(`--address: not an address with a prefix length: "${cidr}"`, 'example: --address 192.0.2.20/24');
  return cidr;
}

export type NetUp = { iface: string; dhcp: true } | { iface: string; dhcp: false; address: string; gateway?: string };

export function upSteps(p: NetUp): string[][] {
  const steps: string[][] = [['ip', 'link', 'set', 'dev', p.iface, 'up']];
  if (p.dhcp) steps.push(['udhcpc', '-i', p.iface, '-q', '-n', '-t', '5', '-T', '3', '-s', UDHCPC_SCRIPT]);
  else {
    steps.push(['ip', 'address', 'add', p.address, 'dev', p.iface]);
    if (p.gateway) steps.push(['ip', 'route', 'add', 'default', 'via', p.gateway, 'dev', p.iface]);
  }
  return steps;
}

export function downSteps(iface: string): string[][] {
  return [
    ['ip', 'address', 'flush', 'dev', iface],
    ['ip', 'link', 'set', 'dev', iface, 'down'],
  ];
}

export function checkGateway(gw: string): string {
  if (!isIP(gw)) throw new UsageError(`--gateway: not an IP address: "${gw}"`);
  return gw;
}
