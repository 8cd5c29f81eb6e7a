#!/usr/bin/env node
// SPDX-License-Identifier: GPL-3.0-or-later
// Bundle the responder toolkit into ONE file for the image's Node.js (Debian bookworm: 18.20),
// with no node_modules: dist/responder/responder.mjs. The builder copies this file into images.
// Next to it, responder.deps.json lists the npm packages esbuild actually bundled (from its
// metafile: only modules that contributed bytes), with their versions and licenses, for the SBOM.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(path.join(repo, 'package.json'), 'utf8'));

const outfile = path.join(repo, 'dist/responder/responder.mjs');
const result = await build({
  entryPoints: [path.join(repo, 'src/responder/main.ts')],
  outfile,
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
  metafile: true,
});

/** node_modules/a/b/node_modules/@s/c/x.js -> node_modules/a/b/node_modules/@s/c (the innermost package). */
function packageDir(input) {
  const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
  return m ? m[1] : undefined;
}

const output = result.metafile.outputs[path.relative(process.cwd(), outfile)] ?? Object.values(result.metafile.outputs)[0];
const dirs = new Set(
  Object.entries(output.inputs)
    .filter(([, i]) => i.bytesInOutput > 0)
    .map(([p]) => packageDir(p))
    .filter(Boolean),
);
const packages = [...dirs]
  .map((dir) => {
    const pkg = JSON.parse(readFileSync(path.resolve(process.cwd(), dir, 'package.json'), 'utf8'));
    return { name: pkg.name, version: pkg.version, license: typeof pkg.license === 'string' ? pkg.license : undefined };
  })
  .sort((a, b) => (a.name === b.name ? (a.version < b.version ? -1 : 1) : a.name < b.name ? -1 : 1));
const depsFile = path.join(repo, 'dist/responder/responder.deps.json');
writeFileSync(`${depsFile}.partial`, JSON.stringify({ bundle: path.basename(outfile), name: 'responder', version, packages }, null, 2) + '\n');
renameSync(`${depsFile}.partial`, depsFile);
