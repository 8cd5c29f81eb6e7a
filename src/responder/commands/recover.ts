// SPDX-License-Identifier: GPL-3.0-or-later
// `responder recover IMAGE[:N] INODE`: a (deleted) file's content by inode into the case, with The
// Sleuth Kit's icat, never writing onto the evidence.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Command } from '../cli/command.js';
import { parse } from '../cli/args.js';
import { checkOutputNotOnSource } from '../acquire/guard.js';
import { ResponderError, UsageError, describeSystemError } from '../lib/errors.js';
import { INODE, recoverInode } from '../recover/icat.js';
import { imageSource } from '../recover/image-source.js';

const HELP = `Usage: responder recover IMAGE[:N] INODE... [--out DIR]

Write the content of each INODE of the file system in IMAGE (an image file or a block device; N a
partition of it) to DIR/inode-INODE, with The Sleuth Kit's \`icat -r\`: a deleted file's blocks are
recovered as far as the file system still knows them. Find inodes with
\`responder timeline IMAGE\` (deleted names end in " (deleted)") or \`fls -d\`.
NTFS inodes are written like 64-128-2 (entry-type-id), as fls shows them.

Options:
  --out DIR   where to write (default: the current folder); refused on the evidence itself, on a
              file system that lives on the evidence device, or inside a mount of the image

Prints the size and sha256 of each recovered file. Existing files are never overwritten.
Exit status: 0 all recovered; 1 some could not be; 2 usage error.`;

export const recoverCommand: Command = {
  name: 'recover',
  summary: "a (deleted) file's content by inode from an image or device, into the case",
  help: HELP,
  async run(argv) {
    const { values, positionals } = parse('recover', argv, { out: { type: 'string' } });
    if (positionals.length < 2) throw new UsageError('recover takes an IMAGE and at least one INODE', 'see: responder recover --help');
    const [spec, ...inodes] = positionals as [string, ...string[]];
    for (const i of inodes) if (!INODE.test(i)) throw new UsageError(`not an inode address: "${i}"`, 'a number, or for NTFS entry-type-id such as 64-128-2');
    const src = imageSource(spec);
    const outDir = path.resolve((values.out as string | undefined) ?? '.');
    const outs = inodes.map((i) => path.join(outDir, `inode-${i}`));
    for (const o of outs) if (existsSync(o)) throw new ResponderError(`${o} already exists; not overwriting it`, 1, 'choose another --out DIR');
    let stat;
    try {
      stat = statSync(src.path);
    } catch (err) {
      throw describeSystemError(err, src.path);
    }
    checkOutputNotOnSource({ path: src.path, kind: src.kind, size: src.size, sectorSize: 512, devno: src.devno, stat }, outs);
    let failed = 0;
    const results = [];
    for (let k = 0; k < inodes.length; k++) {
      try {
        const r = await recoverInode(src.path, src.offset, inodes[k]!, outs[k]!);
        results.push({ inode: inodes[k], file: outs[k], ...r });
        if (!values.json) process.stdout.write(`${outs[k]}  ${r.bytes} bytes  sha256 ${r.sha256}\n`);
      } catch (err) {
        failed++;
        results.push({ inode: inodes[k], error: (err as Error).message });
        process.stderr.write(`responder: recover: ${(err as Error).message}\n`);
      }
    }
    if (values.json) process.stdout.write(JSON.stringify({ source: src.path, partition: src.partition, offset: src.offset, results }, null, 1) + '\n');
    return failed ? 1 : 0;
  },
};
