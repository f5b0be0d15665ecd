// build.mjs - bundles the site into web/dist: the page and the worker with
// esbuild, plus the static files, the wasm module and the records; the
// presets (records/, read from data/presets/presets.json) and the reference
// runs (reference/) are there to be fetched when chosen, never at start.
// Usage: node web/build.mjs [--wasm path/to/microgpt.wasm]
import { build } from 'esbuild';
import { cp, mkdir, copyFile, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { readFactValues, nameFacts, FACTS_BYTES } from './src/engine-facts.js';

const web = path.dirname(fileURLToPath(import.meta.url));
const root = path.dirname(web);
const dist = path.join(web, 'dist');
const argWasm = process.argv.indexOf('--wasm');
const wasm = argWasm > 0 ? process.argv[argWasm + 1] : path.join(root, 'build', 'web', 'microgpt.wasm');

// The records presets (data/presets/presets.json): the one the manifest marks
// default is what the kitchen opens with (names.txt, kitchen/urls.js), and
// the page knows its id and label from the start (MG_DEFAULT_RECORDS).
const manifestFile = path.join(root, 'data', 'presets', 'presets.json');
const presets = JSON.parse(await readFile(manifestFile, 'utf8'));
const defaults = presets.filter((p) => p.default);
if (defaults.length !== 1) throw new Error(`${manifestFile}: ${defaults.length} presets marked default, not one`);

// The engine's facts (limits.js), read from the wasm being shipped, so the
// page, the widgets and the workers know them before it loads.
const engineFacts = await (async () => {
  const { instance } = await WebAssembly.instantiate(await readFile(wasm), { env: { emscripten_notify_memory_growth() {} } });
  instance.exports._initialize();
  return nameFacts(readFactValues(instance.exports, instance.exports.mgw_malloc(FACTS_BYTES), (rc) => {
    if (rc) throw new Error(`${wasm}: the engine's facts could not be read (status ${rc})`);
  }));
})();

// a clean folder: chunks of earlier builds would be shipped with the site
await rm(path.join(dist, 'assets'), { recursive: true, force: true });
await mkdir(path.join(dist, 'assets'), { recursive: true });
const common = {
  absWorkingDir: root, // metafile paths relative to the repository, wherever the build runs from
  bundle: true,
  format: 'esm',
  minify: true,
  sourcemap: false,
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  external: ['node:*'],
  logLevel: 'warning',
  legalComments: 'none',
  // every bundle knows the engine's facts before the wasm loads (web/src/limits.js)
  define: { 'globalThis.MG_BUNDLED': 'true', MG_ENGINE_FACTS: JSON.stringify(engineFacts) },
};
// Each page is its own build: a page's first load is then a few files, not
// the many small chunks that modules shared by both pages would be cut into
// (each file costs its own headers and gzip). In embed.html each view is its
// own chunk (a widget loads only its view).
// The main page renders the trainer and every chapter at load (issue 13: its
// height must not grow as the reader scrolls), so it bundles their views with
// the page: one file gzips smaller than a chunk per view and the chunks they
// share. The views' load() (views/registry.js, chapters-*.js) then resolves
// to the module bundled (a static import in place of import()); embed.html
// keeps one chunk per view.
const VIEW_LISTS = /views[\\/](registry|chapters-[a-z]+)\.js$/;
const bundleViews = {
  name: 'bundle-views',
  setup(b) {
    b.onLoad({ filter: VIEW_LISTS }, async ({ path: file }) => {
      const source = await readFile(file, 'utf8');
      const specs = [];
      const contents = source.replace(/\bimport\((['"])([^'"]+)\1\)/g, (_, q, spec) => `Promise.resolve(view${specs.push(spec) - 1})`);
      if (!specs.length) throw new Error(`${file}: no import() of a view found to bundle with the main page`);
      return { contents: `${specs.map((s, i) => `import * as view${i} from ${JSON.stringify(s)};`).join('\n')}\n${contents}`, loader: 'js' };
    });
  },
};
const pageBuild = (name, file, plugins = []) => build({
  ...common,
  plugins,
  define: { ...common.define, MG_DEFAULT_RECORDS: JSON.stringify({ preset: defaults[0].id, name: defaults[0].label }) },
  entryPoints: { [name]: path.join(web, file) },
  outdir: path.join(dist, 'assets'),
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
});
const pages = { 'src/pages/main.jsx': await pageBuild('main', 'src/pages/main.jsx', [bundleViews]),
  'src/pages/widget.jsx': await pageBuild('widget', 'src/pages/widget.jsx') };
// The workers are one file each at start (built apart: no chunk shared by
// the two), so they start after a single request; run B's code
// (kitchen/companion.js) is a chunk each loads at the first request about run
// B. They need no MG_DEFAULT_RECORDS: an object defined is a module of its
// own, a chunk every chunk imports.
for (const [name, file] of [['worker', 'src/kitchen/worker.js'], ['shared-worker', 'src/kitchen/shared-worker.js']]) {
  await build({
    ...common,
    entryPoints: { [name]: path.join(web, file) },
    outdir: path.join(dist, 'assets'),
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
  });
}

// embed.html's first script: classic (it reads document.currentScript), no imports
await build({
  ...common,
  format: 'iife',
  entryPoints: { boot: path.join(web, 'src/pages/boot.js') },
  outdir: path.join(dist, 'assets'),
});

/** <link rel=modulepreload> for the chunks an entry imports at once, so they load in parallel. */
function preloads(entry) {
  const outputs = pages[entry].metafile.outputs;
  const key = Object.keys(outputs).find((k) => outputs[k].entryPoint?.endsWith(entry));
  const seen = new Set();
  const walk = (k) => {
    for (const imp of outputs[k].imports) {
      if (imp.kind !== 'import-statement' || seen.has(imp.path)) continue;
      seen.add(imp.path);
      walk(imp.path);
    }
  };
  walk(key);
  return [...seen].map((p) => `<link rel="modulepreload" href="${path.relative(dist, path.resolve(root, p))}">`).join('\n');
}
// The style sheets of the parts loaded on demand (features/OnDemand.jsx
// loadStyle(name) adds assets/NAME.css with its part): not in the first page.
const ON_DEMAND_STYLES = { setup: 'src/features/setup/setup.css', 'embed-panel': 'src/views/shared/embed-panel.css',
  compare: 'src/features/compare/compare.css' };
await build({
  entryPoints: { main: path.join(web, 'src/styles.css'),
    ...Object.fromEntries(Object.entries(ON_DEMAND_STYLES).map(([name, file]) => [name, path.join(web, file)])) },
  outdir: path.join(dist, 'assets'),
  bundle: true, minify: true, logLevel: 'warning',
});
for (const [f, entry] of [['index.html', 'src/pages/main.jsx'], ['embed.html', 'src/pages/widget.jsx']]) {
  const html = await readFile(path.join(web, f), 'utf8');
  await writeFile(path.join(dist, f), html.replace('<!-- modulepreload -->', preloads(entry)));
}
await cp(path.join(web, 'public'), dist, { recursive: true });
await copyFile(wasm, path.join(dist, 'microgpt.wasm'));

// The presets, each under the name the manifest gives it, and the manifest.
await rm(path.join(dist, 'records'), { recursive: true, force: true });
await mkdir(path.join(dist, 'records'));
// The records the kitchen opens with (names.txt, kitchen/urls.js): the
// manifest's default preset (Karpathy's makemore names.txt, the same name).
await copyFile(path.join(root, defaults[0].source), path.join(dist, 'names.txt'));
await copyFile(manifestFile, path.join(dist, 'records', 'presets.json'));
const sizes = [];
for (const p of presets) {
  const bytes = await readFile(path.join(root, p.source));
  await writeFile(path.join(dist, 'records', p.file), bytes);
  sizes.push(`${p.id} ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)} KiB`);
}
console.log(`records/: ${presets.length} presets, gzipped: ${sizes.join(', ')}`);
// The reference runs the proof compares with.
await rm(path.join(dist, 'reference'), { recursive: true, force: true });
await mkdir(path.join(dist, 'reference'));
const refDir = path.join(root, 'data', 'reference');
// index.json: what a page needs to tell whether a run is one of them (each
// file's records, seed, size and length), so it downloads only that file.
const index = [];
for (const f of (await readdir(refDir)).filter((n) => n.endsWith('.json'))) {
  await copyFile(path.join(refDir, f), path.join(dist, 'reference', f));
  const { id, by, recordsSha256, seed, config, steps } = JSON.parse(await readFile(path.join(refDir, f), 'utf8'));
  index.push({ file: f, id, by, recordsSha256, seed, config, steps });
}
await writeFile(path.join(dist, 'reference', 'index.json'), `${JSON.stringify(index)}\n`);
