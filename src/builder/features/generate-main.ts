// SPDX-License-Identifier: GPL-3.0-or-later
// `npm run generate`: rewrites the files generated from the profile schema (the core keys and every
// registered feature's section) in this checkout.
import { displayPath } from '../profile/positions.js';
import { findRepoRoot } from '../profile/index.js';
import { writeGeneratedFiles } from '../profile/generate.js';
import { FEATURES } from './index.js';

for (const file of await writeGeneratedFiles(findRepoRoot(), FEATURES)) process.stdout.write(`wrote ${displayPath(file)}\n`);
