// SPDX-License-Identifier: GPL-3.0-or-later
import { describe, expect, it } from 'vitest';
import { layersInitrd, LAYERS_LIST_PATH, newcArchive, sha256List } from '../../src/builder/stages/medium-hashes.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

/** Reads a newc archive back: name -> [mode, data]. */
function readNewc(buf: Buffer): Map<string, { mode: number; data: string }> {
  const out = new Map<string, { mode: number; data: string }>();
  let off = 0;
  const align = (n: number): number => (n + 3) & ~3;
  for (;;) {
    expect(buf.toString('ascii', off, off + 6)).toBe('070701');
    const field = (i: number): number => parseInt(buf.toString('ascii', off + 6 + i * 8, off + 14 + i * 8), 16);
    const mode = field(1);
    const size = field(6);
    const nameSize = field(11);
    const name = buf.toString('utf8', off + 110, off + 110 + nameSize - 1);
    const dataStart = align(off + 110 + nameSize);
    if (name === 'TRAILER!!!') break;
    out.set(name, { mode, data: buf.toString('utf8', dataStart, dataStart + size) });
    off = align(dataStart + size);
  }
  return out;
}

describe('medium hashes', () => {
  it('writes sha256sum lines, sorted, with relative names', () => {
    expect(sha256List({ 'live/b': B, 'boot/grub/grub.cfg': A })).toBe(`${A}  boot/grub/grub.cfg\n${B}  live/b\n`);
  });

  it('refuses what GRUB or sha256sum would misread', () => {
    expect(() => sha256List({ '/abs': A })).toThrow(/unusable file name/);
    expect(() => sha256List({ 'a b': A })).toThrow(/unusable file name/);
    expect(() => sha256List({ x: 'XYZ' })).toThrow(/not a sha256/);
  });

  it('makes a reproducible newc archive the kernel can unpack', () => {
    const layers = { 'live/filesystem.module': A, 'live/10-base.squashfs': B };
    const one = layersInitrd(layers);
    expect(one.equals(layersInitrd(layers))).toBe(true);
    expect(one.length % 512).toBe(0);
    const files = readNewc(one);
    expect(files.get('conf')?.mode).toBe(0o040755);
    expect(files.get(LAYERS_LIST_PATH)).toEqual({ mode: 0o100644, data: sha256List(layers) });
  });

  it('refuses names that would escape the initramfs root', () => {
    expect(() => newcArchive([{ name: '../etc/passwd', data: Buffer.from('x'), mode: 0o644 }])).toThrow(/bad name/);
    expect(() => newcArchive([{ name: '/etc/passwd', data: Buffer.from('x'), mode: 0o644 }])).toThrow(/bad name/);
  });
});
