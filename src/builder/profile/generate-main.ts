// SPDX-License-Identifier: GPL-3.0-or-later
// `npm run generate`: rewrites the files generated from the profile schema in this checkout.
import { writeGeneratedFiles } from './generate.js';
import { displayPath } from './positions.js';
import { findRepoRoot } from './repo-root.js';

for (const file of await writeGeneratedFiles(findRepoRoot())) process.stdout.write(`wrote ${displayPath(file)}\n`);
