// SPDX-License-Identifier: GPL-3.0-or-later
// `responder net`: the argv it runs for one named interface (never a shell, never an option
// smuggled in as a name), DHCP through udhcpc that exits after one lease.
import { describe, expect, it } from 'vitest';
import { checkCidr, checkGateway, checkInterface, downSteps, upSteps } from '../../src/responder/net/plan.js';

describe('responder net plan', () => {
  it('static address with a gateway, DHCP once, and down', () => {
    expect(upSteps({ iface: 'eth0', dhcp: false, address: '192.0.2.20/24', gateway: '192.0.2.1' })).toEqual([
      ['ip', 'link', 'set', 'dev', 'eth0', 'up'],
      ['ip', 'address', 'add', '192.0.2.20/24', 'dev', 'eth0'],
      ['ip', 'route', 'add', 'default', 'via', '192.0.2.1', 'dev', 'eth0'],
    ]);
    const dhcp = upSteps({ iface: 'ens3', dhcp: true });
    expect(dhcp[1]).toEqual(['udhcpc', '-i', 'ens3', '-q', '-n', '-t', '5', '-T', '3', '-s', '/etc/udhcpc/default.script']);
    expect(dhcp[1]).toContain('-q'); // quit after the lease: no daemon left running
    expect(downSteps('eth0')).toEqual([
      ['ip', 'address', 'flush', 'dev', 'eth0'],
      ['ip', 'link', 'set', 'dev', 'eth0', 'down'],
    ]);
  });

  it('refuses names and addresses that are not one', () => {
    expect(checkInterface('enp0s31f6')).toBe('enp0s31f6');
    for (const bad of ['-v', 'eth0 up', 'a/b', 'x'.repeat(16), '']) expect(() => checkInterface(bad)).toThrow(/not an interface name/);
    expect(checkCidr('10.0.2.15/24')).toBe('10.0.2.15/24');
    expect(checkCidr('2001:db8::2/64')).toBe('2001:db8::2/64');
    for (const bad of ['10.0.2.15', '10.0.2.15/33', 'host/24', '10.0.2/24']) expect(() => checkCidr(bad)).toThrow(/not an address/);
    expect(() => checkGateway('router')).toThrow(/not an IP/);
  });
});

describe('responder keymap table', () => {
  it('offers the common layouts by short name, each with a console-data keymap', async () => {
    const { LAYOUTS, findLayout } = await import('../../src/shared/keymap/layouts.js');
    expect(findLayout('DE')?.keymap).toBe('de-latin1-nodeadkeys');
    expect(findLayout('../../etc/passwd')).toBeUndefined();
    expect(new Set(LAYOUTS.map((l) => l.name)).size).toBe(LAYOUTS.length);
    for (const l of LAYOUTS) expect(l.keymap).toMatch(/^[a-z0-9-]+$/);
  });
});
