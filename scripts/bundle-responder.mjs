#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Bundle the responder toolkit into ONE file for the image's Node.js (Debian bookworm: 18.20),
// with no node_modules: dist/responder/responder.mjs. The builder copies this file into images.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));

await build({
  entryPoints: [path.join(repo, 'src/responder/main.ts')],
  outfile: path.join(repo, 'dist/responder/responder.mjs'),
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'esm',
  // The CommonJS modules bundled in (tar-stream and its streamx) require node built-ins such as
  // "events"; an ESM bundle has no require of its own, so give it Node's.
  banner: {
    js: "#!/usr/bin/env node\n// responder: forensic-live toolkit, GPL-3.0-or-later. Bundled file; source in src/responder/.\nimport { createRequire as __responderCreateRequire } from 'node:module';\nconst require = __responderCreateRequire(import.meta.url);",
  },
  define: { __RESPONDER_VERSION__: JSON.stringify(version) },
  legalComments: 'inline',
  logLevel: 'warning',
});
