// SPDX-License-Identifier: GPL-3.0-or-later
// boot-test's network card (restricted user-mode net, forwards through a relay) and menu keys.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { buildQemuArgv, type QemuArgvOptions } from '../../src/builder/qemu/argv.js';
import { parseMenuKeys } from '../../src/builder/qemu/menu-keys.js';
import { GUEST_FORWARD_ADDRESS, parseForward, userNetArgv } from '../../src/builder/qemu/user-net.js';
import { REPO } from '../helpers/e2e.js';
import { BASE_QEMU_ARGV } from '../helpers/qemu-argv-base.js';

const base: QemuArgvOptions = BASE_QEMU_ARGV;

describe('boot-test network card', () => {
  it('has none unless asked', () => {
    expect(buildQemuArgv(base)).not.toContain('-netdev');
  });

  it('is a restricted user-mode network whose only way out is a relay per forward', () => {
    const argv = buildQemuArgv({ ...base, net: { forwards: [{ guestPort: 9000, hostPort: 40123 }], relay: (p) => ['/usr/bin/node', '/r e,lay.js', String(p)] } });
    const i = argv.indexOf('-netdev');
    expect(argv[i + 1]).toBe(`user,id=net0,restrict=on,guestfwd=tcp:${GUEST_FORWARD_ADDRESS}:9000-cmd:/usr/bin/node '/r e,,lay.js' 40123`);
    expect(argv[i + 3]).toBe('virtio-net-pci,netdev=net0');
    expect(userNetArgv({ forwards: [] })).toEqual(['-netdev', 'user,id=net0,restrict=on', '-device', 'virtio-net-pci,netdev=net0']);
  });

  it('parses PORT:HOSTPORT and key lists, refusing anything else', () => {
    expect(parseForward('9000:40123')).toEqual({ guestPort: 9000, hostPort: 40123 });
    for (const bad of ['9000', '0:1', '9000:70000', 'a:b', '9000:1:2']) expect(parseForward(bad), bad).toBeUndefined();
    expect(parseMenuKeys('down,ret down  ret')).toEqual(['down', 'ret', 'down', 'ret']);
    expect(parseMenuKeys('down;reboot')).toBeUndefined();
    expect(parseMenuKeys(' ')).toBeUndefined();
  });
});

describe('tcp relay (what QEMU spawns for a forwarded connection)', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fl-relay-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const relay = path.join(dir, 'tcp-relay.mjs');
  buildSync({ entryPoints: [path.join(REPO, 'src/builder/qemu/tcp-relay.ts')], outfile: relay, platform: 'node', format: 'esm', logLevel: 'silent' });

  it('copies both ways and passes the end of the stream on to the listener', async () => {
    let received = Buffer.alloc(0);
    const server = createServer({ allowHalfOpen: true }, (s) => {
      s.on('data', (d: Buffer) => (received = Buffer.concat([received, d])));
      s.on('end', () => s.end(`got ${received.length}`)); // answers only after the end of stream
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      // Node's stdio pipes are socketpairs, as QEMU's guestfwd gives its `cmd:`.
      const child = spawn(process.execPath, [relay, String(port)], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d));
      const payload = Buffer.alloc(3 << 20, 7);
      child.stdin.end(payload);
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(code).toBe(0);
      expect(received.equals(payload)).toBe(true);
      expect(out).toBe(`got ${payload.length}`);
    } finally {
      server.close();
    }
  });
});
