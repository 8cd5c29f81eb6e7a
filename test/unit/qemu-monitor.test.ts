// SPDX-License-Identifier: GPL-3.0-or-later
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { qmpExecute, QmpError, sendMonitorCommand } from '../../src/builder/qemu/monitor.js';

/** A fake QEMU QMP server: greeting, capabilities negotiation, then scripted replies. */
function fakeQmp(path: string, reply: (cmd: Record<string, unknown>, sock: Socket) => void): Promise<{ server: Server; received: Record<string, unknown>[] }> {
  const received: Record<string, unknown>[] = [];
  const server = createServer((sock) => {
    sock.write('{"QMP": {"version": {"qemu": {"micro": 0, "minor": 2, "major": 7}}, "capabilities": ["oob"]}}\r\n');
    let buf = '';
    sock.on('data', (d) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) !== -1) {
        const cmd = JSON.parse(buf.slice(0, nl)) as Record<string, unknown>;
        buf = buf.slice(nl + 1);
        received.push(cmd);
        if (cmd.execute === 'qmp_capabilities') sock.write(JSON.stringify({ return: {}, id: cmd.id }) + '\r\n');
        else reply(cmd, sock);
      }
    });
  });
  return new Promise((resolve) => server.listen(path, () => resolve({ server, received })));
}

describe('QMP monitor client', () => {
  let dir: string;
  let server: Server | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'qmp-test-'));
  });
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs an HMP command through human-monitor-command and returns its text, skipping events', async () => {
    const sock = join(dir, 'qmp.sock');
    const fake = await fakeQmp(sock, (cmd, s) => {
      s.write('{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "RTC_CHANGE", "data": {"offset": 0}}\r\n');
      s.write(JSON.stringify({ return: 'OK\r\n', id: cmd.id }) + '\r\n');
    });
    server = fake.server;
    const out = await sendMonitorCommand(sock, 'drive_add 0 if=none,id=hot1,file=/x.img');
    expect(out).toBe('OK\r\n');
    expect(fake.received.map((c) => c.execute)).toEqual(['qmp_capabilities', 'human-monitor-command']);
    expect(fake.received[1]!.arguments).toEqual({ 'command-line': 'drive_add 0 if=none,id=hot1,file=/x.img' });
  });

  it('returns the value of a raw QMP command and turns QMP errors into QmpError', async () => {
    const sock = join(dir, 'qmp.sock');
    const fake = await fakeQmp(sock, (cmd, s) => {
      if (cmd.execute === 'query-status') s.write(JSON.stringify({ return: { status: 'running', running: true }, id: cmd.id }) + '\n');
      else s.write(JSON.stringify({ error: { class: 'CommandNotFound', desc: `The command ${String(cmd.execute)} has not been found` }, id: cmd.id }) + '\n');
    });
    server = fake.server;
    await expect(qmpExecute(sock, 'query-status')).resolves.toEqual({ status: 'running', running: true });
    const err = await qmpExecute(sock, 'no-such-thing').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(QmpError);
    expect((err as QmpError).errorClass).toBe('CommandNotFound');
  });

  it('waits for a socket that QEMU has not created yet', async () => {
    const sock = join(dir, 'late.sock');
    setTimeout(() => {
      void fakeQmp(sock, (cmd, s) => s.write(JSON.stringify({ return: 'late\r\n', id: cmd.id }) + '\n')).then((f) => (server = f.server));
    }, 300);
    await expect(sendMonitorCommand(sock, 'info status', { timeoutMs: 5000 })).resolves.toBe('late\r\n');
  });

  it('gives up with a clear error when nobody listens, and when no reply comes', async () => {
    await expect(sendMonitorCommand(join(dir, 'none.sock'), 'info status', { timeoutMs: 500 })).rejects.toThrow(/cannot connect to the QEMU monitor/);
    const sock = join(dir, 'mute.sock');
    server = (await fakeQmp(sock, () => undefined)).server;
    await expect(sendMonitorCommand(sock, 'info status', { timeoutMs: 500 })).rejects.toThrow(/no reply/);
  });

  it('refuses a socket that does not speak QMP', async () => {
    const sock = join(dir, 'hmp.sock');
    server = createServer((s) => s.write('{"hello": 1}\n'));
    await new Promise<void>((r) => server!.listen(sock, () => r()));
    await expect(sendMonitorCommand(sock, 'info status', { timeoutMs: 1000 })).rejects.toThrow(/not a QMP monitor/);
  });
});
