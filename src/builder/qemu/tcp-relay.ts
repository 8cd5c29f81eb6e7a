// SPDX-License-Identifier: GPL-3.0-or-later
// Spawned by QEMU (user-net.ts, guestfwd `cmd:`) for each TCP connection of the guest to a
// forward: its stdin and stdout are that connection. Connects to 127.0.0.1:PORT and copies both
// ways; the guest's end of stream is passed on (the listener sees the stream end). It never
// writes anything of its own: stderr is the guest's connection too.
import { connect } from 'node:net';

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port < 1 || port > 65535) process.exit(2);
const socket = connect({ host: '127.0.0.1', port });
socket.on('error', () => process.exit(1));
process.stdin.on('error', () => process.exit(1));
process.stdout.on('error', () => process.exit(1));
process.stdin.pipe(socket); // ends the host side once the guest has finished sending
socket.pipe(process.stdout);
socket.on('close', () => process.exit(0));
