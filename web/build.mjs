// build.mjs - bundles the site into web/dist: the page and the worker with
// esbuild, plus the static files, the wasm module and the records.
// Usage: node web/build.mjs [--wasm path/to/microgpt.wasm]
import { build } from 'esbuild';
import { cp, mkdir, copyFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const web = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(web);
const dist = path.join(web, 'dist');
const argWasm = process.argv.indexOf('--wasm');
const wasm = argWasm > 0 ? process.argv[argWasm + 1] : path.join(root, 'build', 'web', 'microgpt.wasm');

await mkdir(path.join(dist, 'assets'), { recursive: true });
await build({
  entryPoints: {
    main: path.join(web, 'src/pages/main.jsx'),
    widget: path.join(web, 'src/pages/widget.jsx'),
    worker: path.join(web, 'src/kitchen/worker.js'),
    'shared-worker': path.join(web, 'src/kitchen/shared-worker.js'),
  },
  outdir: path.join(dist, 'assets'),
  bundle: true,
  format: 'esm',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  minify: true,
  sourcemap: false,
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  external: ['node:*'],
  loader: { '.css': 'css' },
  logLevel: 'warning',
  legalComments: 'none',
});
await build({
  entryPoints: { main: path.join(web, 'src/styles.css') },
  outdir: path.join(dist, 'assets'),
  bundle: true, minify: true, logLevel: 'warning',
});
for (const f of ['index.html', 'embed.html']) await copyFile(path.join(web, f), path.join(dist, f));
await cp(path.join(web, 'public'), dist, { recursive: true });
await copyFile(wasm, path.join(dist, 'microgpt.wasm'));
await copyFile(path.join(root, 'data', 'names.txt'), path.join(dist, 'names.txt'));
