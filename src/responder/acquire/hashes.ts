// SPDX-License-Identifier: GPL-3.0-or-later
// Several digests fed from one pass over the data (node:crypto, OpenSSL underneath).
import { createHash, type Hash } from 'node:crypto';
import type { HashName } from './options.js';

export class Hashes {
  private readonly hashes: [HashName, Hash][];
  constructor(names: HashName[]) {
    this.hashes = names.map((n) => [n, createHash(n)]);
  }
  update(chunk: Buffer): void {
    for (const [, h] of this.hashes) h.update(chunk);
  }
  digest(): Record<string, string> {
    return Object.fromEntries(this.hashes.map(([n, h]) => [n, h.digest('hex')]));
  }
}
