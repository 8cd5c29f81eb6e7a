// SPDX-License-Identifier: GPL-3.0-or-later
// Parsing of acquire's arguments that carry meaning: sizes, hash lists, and the --to destinations
// (with the remote path quoted for the remote shell, since ssh hands the command to a shell).
import { UsageError } from '../lib/errors.js';

export const HASHES = ['md5', 'sha1', 'sha256', 'sha512'] as const;
export type HashName = (typeof HASHES)[number];

export function parseHashes(spec: string | undefined): HashName[] {
  if (!spec) return ['sha256'];
  const names = spec
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const out: HashName[] = [];
  for (const n of names) {
    if (!(HASHES as readonly string[]).includes(n)) throw new UsageError(`--hash: unknown algorithm "${n}"`, `choose from ${HASHES.join(', ')}`);
    if (!out.includes(n as HashName)) out.push(n as HashName);
  }
  if (!out.length) throw new UsageError('--hash: no algorithm given');
  return out;
}

/**
 * The one size convention of responder: a number of bytes, or a number with K, M, G or T, which
 * mean KiB, MiB, GiB, TiB (powers of 1024; "KiB" ... "TiB" are accepted too). "KB", "MB", "GB"
 * are refused: disk vendors read them as powers of 1000, so they are ambiguous.
 */
export const SIZE_CONVENTION = 'sizes: bytes, or K, M, G, T = KiB, MiB, GiB, TiB (powers of 1024); KB/MB/GB are refused as ambiguous';

export function parseSize(spec: string, what: string): number {
  const t = spec.trim();
  if (/^\d+\s*[KMGT]B$/i.test(t))
    throw new UsageError(`${what}: "${spec}" is ambiguous (powers of 1000 or 1024?)`, `write ${t.replace(/B$/i, '')} or ${t.replace(/B$/i, 'iB')} for powers of 1024, or a number of bytes`);
  const m = /^(\d+)\s*(?:([KMGT])(iB)?)?$/i.exec(t);
  if (!m) throw new UsageError(`${what}: not a size: "${spec}"`, `examples: 2G, 650M, 4096 (${SIZE_CONVENTION})`);
  const mult = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[(m[2] ?? '').toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  const n = Number(m[1]) * mult;
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`${what}: size out of range: "${spec}"`);
  return n;
}

export type Destination =
  | { kind: 'file'; path: string }
  | { kind: 'stdout' }
  | { kind: 'tcp'; host: string; port: number; url: string }
  | { kind: 'ssh'; user?: string; host: string; port?: number; path: string; url: string };

/** Single-quote a word for a POSIX shell: 'it'\''s' . Safe for any byte except NUL. */
export function shellQuote(s: string): string {
  if (s.includes('\0')) throw new UsageError('a remote path cannot contain a NUL byte');
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * --to ssh://[user@]host[:port]/path  (path is absolute; /~/name is relative to the remote home)
 * --to tcp://host:port
 */
export function parseDestination(to: string): Destination {
  let u: URL;
  try {
    u = new URL(to);
  } catch {
    throw new UsageError(`--to: not a URL: "${to}"`, 'use ssh://user@host/path or tcp://host:port');
  }
  const host = u.hostname.replace(/^\[|\]$/g, '');
  // A host or user starting with "-" would be read by ssh as an option.
  if (!host || host.startsWith('-')) throw new UsageError(`--to: bad host in "${to}"`);
  if (u.protocol === 'tcp:') {
    const port = Number(u.port);
    if (!port) throw new UsageError(`--to: tcp:// needs a port: "${to}"`, 'example: tcp://192.0.2.10:9000');
    return { kind: 'tcp', host, port, url: to };
  }
  if (u.protocol === 'ssh:') {
    const user = decodeURIComponent(u.username) || undefined;
    if (user?.startsWith('-')) throw new UsageError(`--to: bad user in "${to}"`);
    let p = decodeURIComponent(u.pathname);
    if (!p || p === '/') throw new UsageError(`--to: ssh:// needs a file path: "${to}"`, 'example: ssh://analyst@192.0.2.10/srv/cases/42/sda.raw');
    if (p.startsWith('/~/')) p = p.slice(3);
    return { kind: 'ssh', user, host, port: u.port ? Number(u.port) : undefined, path: p, url: to };
  }
  throw new UsageError(`--to: unsupported scheme "${u.protocol}"`, 'use ssh:// or tcp://');
}

/** The argv for ssh: no shell on our side; the remote command is one quoted string for the remote shell. */
export function sshArgv(d: Extract<Destination, { kind: 'ssh' }>): string[] {
  const argv = ['ssh', '-e', 'none', '-o', 'ServerAliveInterval=15'];
  if (d.port) argv.push('-p', String(d.port));
  argv.push(d.user ? `${d.user}@${d.host}` : d.host, '--', `cat > ${shellQuote(d.path)}`);
  return argv;
}
