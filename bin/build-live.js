#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Entry point installed as `build-live`; the program itself is compiled to dist/ by `npm run build`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/builder/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('build-live: not compiled yet: run `npm ci && npm run build` in the repository (or scripts/setup-host)\n');
  process.exit(1);
}
await import(main.href);
