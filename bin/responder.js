#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Runs the bundled responder toolkit from the repository (the same file the images carry).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/responder/responder.mjs', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write('responder: not built yet: run `npm ci && npm run build` in the repository\n');
  process.exit(1);
}
await import(bundle.href);
