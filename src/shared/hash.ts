// SPDX-License-Identifier: GPL-3.0-or-later
// The one streaming file hash of the builder (ISOs, .debs, archive indexes, overlay files) and of
// the archive code the responder shares with it (src/shared/debian/archive.ts). Node built-ins only.
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
