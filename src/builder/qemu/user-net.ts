// SPDX-License-Identifier: GPL-3.0-or-later
// A network card for boot tests, on QEMU's user-mode (slirp) network with `restrict=on`: the guest
// gets an address from QEMU's own DHCP server and reaches nothing, neither the host nor any other
// address, except the forwards asked for. Each forward relays the guest's TCP connections to
// GUEST_FORWARD_ADDRESS:guestPort to 127.0.0.1:hostPort on the host (a listener of the test),
// through a small relay spawned per connection (tcp-relay.ts), so the guest's end of the stream
// reaches the listener as an end of stream. A plain user-mode network would let the guest reach
// the host as 10.0.2.2, and through it any address: a test must never send traffic off the machine.
import { fileURLToPath } from 'node:url';

/** The address the guest connects to for every forward (inside slirp's 10.0.2.0/24). */
export const GUEST_FORWARD_ADDRESS = '10.0.2.100';

export interface NetForward {
  guestPort: number;
  hostPort: number;
}

export interface UserNet {
  forwards: NetForward[];
  /** The relay's argv for a host port; default: this Node.js running tcp-relay.js PORT. */
  relay?: (hostPort: number) => string[];
}

const RELAY = fileURLToPath(new URL('./tcp-relay.js', import.meta.url));

export function defaultRelay(hostPort: number): string[] {
  return [process.execPath, RELAY, String(hostPort)];
}

/** One word for the glib shell parser that splits QEMU's `cmd:` (single quotes unless plain). */
function shellWord(s: string): string {
  return /^[\w./:=@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `PORT:HOSTPORT` as given on the command line. */
export function parseForward(spec: string): NetForward | undefined {
  const m = /^(\d{1,5}):(\d{1,5})$/.exec(spec.trim());
  if (!m) return undefined;
  const [guestPort, hostPort] = [Number(m[1]), Number(m[2])];
  if (guestPort < 1 || guestPort > 65535 || hostPort < 1 || hostPort > 65535) return undefined;
  return { guestPort, hostPort };
}

/** The -netdev/-device arguments (a virtio NIC, as most guests have a driver for it). */
export function userNetArgv(net: UserNet): string[] {
  const relay = net.relay ?? defaultRelay;
  const parts = ['user', 'id=net0', 'restrict=on'];
  for (const f of net.forwards) {
    const cmd = relay(f.hostPort).map(shellWord).join(' ');
    parts.push(`guestfwd=tcp:${GUEST_FORWARD_ADDRESS}:${f.guestPort}-cmd:${cmd.replace(/,/g, ',,')}`);
  }
  return ['-netdev', parts.join(','), '-device', 'virtio-net-pci,netdev=net0'];
}
