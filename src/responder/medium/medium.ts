// SPDX-License-Identifier: GPL-3.0-or-later
// The booted image's identity: the build id written on its medium and the sha256 of the ISO on
// it, computed by reading the medium's whole disk (O_RDONLY) for exactly the ISO's length, so it
// equals the line in the build's SHA256SUMS whether the medium is a CD or a bigger USB stick.
// Reading a medium takes a while, so the result is kept in /run/forensic-live/medium.json (RAM,
// one boot): computed once, by forensic-live-medium.service at boot or by the first command.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fsp } from 'node:fs';
import path from 'node:path';
import { HEAD_BYTES, isoExtent } from './iso-length.js';
import { findMount, wholeDisk } from './device.js';

export const LIVE_MEDIUM = process.env.RESPONDER_LIVE_MEDIUM ?? '/run/live/medium';
export const MEDIUM_CACHE = process.env.RESPONDER_MEDIUM_CACHE ?? '/run/forensic-live/medium.json';
export const IMAGE_JSON = process.env.RESPONDER_IMAGE_JSON ?? '/etc/forensic-live/image.json';

export interface IsoOnDevice {
  /** What was read: the whole disk or CD (or an image file). */
  device: string;
  isoBytes: number;
  lengthFrom: 'iso9660' | 'gpt';
  volumeId: string;
  sha256: string;
}

export interface MediumInfo extends IsoOnDevice {
  mountPoint: string;
  /** What live-boot mounted (a partition of `device` on a USB stick). */
  mounted: string;
  /** From the medium: .disk/live-uuid, else the .disk/forensic-live-ID marker. */
  buildId?: string;
  /** The first line of the medium's .disk/info. */
  info?: string;
  /** From the running system's /etc/forensic-live/image.json. */
  image?: { profile?: string; buildId?: string };
  computedAt: string;
  durationMs: number;
}

/** Hash exactly the ISO at the start of DEVICE (a disk, a CD or an image file). */
export async function hashIsoOn(device: string): Promise<IsoOnDevice> {
  const fh = await fsp.open(device, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(head, 0, HEAD_BYTES, 0);
    head = head.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
  let extent;
  try {
    extent = isoExtent(head);
  } catch (err) {
    throw new Error(`${device}: ${(err as Error).message}`);
  }
  const hash = createHash('sha256');
  let read = 0;
  await new Promise<void>((resolve, reject) => {
    createReadStream(device, { start: 0, end: extent.bytes - 1, highWaterMark: 4 * 1024 * 1024 })
      .on('data', (chunk) => {
        hash.update(chunk);
        read += chunk.length;
      })
      .on('end', resolve)
      .on('error', reject);
  });
  if (read !== extent.bytes) throw new Error(`${device}: ends after ${read} bytes, but its ISO claims ${extent.bytes}`);
  return { device, isoBytes: extent.bytes, lengthFrom: extent.from, volumeId: extent.volumeId, sha256: hash.digest('hex') };
}

async function readText(file: string): Promise<string | undefined> {
  return fsp.readFile(file, 'utf8').then(
    (s) => s,
    () => undefined,
  );
}

/** The build id the medium carries (forensic media: .disk/live-uuid; every build: .disk/forensic-live-ID). */
async function mediumBuildId(mountPoint: string): Promise<string | undefined> {
  const uuid = (await readText(path.join(mountPoint, '.disk/live-uuid')))?.trim();
  if (uuid) return uuid;
  const names = await fsp.readdir(path.join(mountPoint, '.disk')).catch(() => [] as string[]);
  return names.map((n) => /^forensic-live-([0-9A-Za-z-]+)$/.exec(n)?.[1]).find(Boolean);
}

export async function readImageJson(file = IMAGE_JSON): Promise<{ profile?: string; buildId?: string } | undefined> {
  const text = await readText(file);
  if (text === undefined) return undefined;
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
    return { profile: str(j.profile), buildId: str(j.buildId) };
  } catch {
    return {};
  }
}

/** Identify the medium mounted at MOUNT_POINT; undefined when nothing is mounted there (not a live system). */
export async function identifyMedium(mountPoint = LIVE_MEDIUM, mountinfo?: string): Promise<MediumInfo | undefined> {
  const mount = findMount(mountPoint, mountinfo);
  if (!mount) return undefined;
  const started = Date.now();
  const iso = await hashIsoOn(wholeDisk(mount.devno));
  return {
    ...iso,
    mountPoint,
    mounted: mount.source,
    buildId: await mediumBuildId(mountPoint),
    info: (await readText(path.join(mountPoint, '.disk/info')))?.split('\n')[0],
    image: await readImageJson(),
    computedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
  };
}

/** The cached identity of this boot's medium, computing (and caching, if allowed) it when missing. */
export async function cachedMedium(opts: { cacheFile?: string; refresh?: boolean; mountPoint?: string } = {}): Promise<MediumInfo | undefined> {
  const cacheFile = opts.cacheFile ?? MEDIUM_CACHE;
  if (!opts.refresh) {
    const cached = await readText(cacheFile);
    if (cached) {
      try {
        const info = JSON.parse(cached) as MediumInfo;
        if (/^[0-9a-f]{64}$/.test(info.sha256) && info.mountPoint === (opts.mountPoint ?? LIVE_MEDIUM)) return info;
      } catch {
        // a damaged cache is computed again
      }
    }
  }
  const info = await identifyMedium(opts.mountPoint);
  if (info) await writeCache(cacheFile, info).catch(() => undefined); // read-only /run or not root: just not cached
  return info;
}

async function writeCache(file: string, info: MediumInfo): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
  const tmp = `${file}.${process.pid}.partial`;
  await fsp.writeFile(tmp, JSON.stringify(info, null, 2) + '\n', { mode: 0o644 });
  await fsp.rename(tmp, file);
}
