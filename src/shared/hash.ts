// SPDX-License-Identifier: GPL-3.0-or-later
// The builder's one streaming file hash (ISOs, .debs, archive indexes, overlay files).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

export function fileSha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => h.update(chunk))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', reject);
  });
}
