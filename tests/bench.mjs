// bench.mjs - `make bench`: the speed and size figures, measured in one run
// on this machine, each next to its goal. Writes build/bench.json too.
//
// The figures come in sections, run in the order of the list `sections`
// below. A section is a function (row, ctx) that calls
//   row(section, what, value, unit, goal?)
// once per figure; goal is atLeast(x), below(x) or any predicate with a
// .label. To add figures, add a function here or a module whose default
// export has that shape (see bench-browser.mjs) to the list.
// `node tests/bench.mjs native wasm` runs only the sections named (and writes
// build/bench.partial.json instead).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, statSync, mkdirSync, existsSync, readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { cpus, loadavg } from 'node:os';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { cli, dataFile, wasmFile, build, root } from './helpers/paths.mjs';
import { loadRun, maxAbsDiff } from './helpers/ref.mjs';

const rows = [];
const fmt = (v) => (typeof v === 'number'
  ? v.toLocaleString('en-US', { maximumFractionDigits: Math.abs(v) < 10 ? 3 : 1 }) : String(v));
function row(section, what, value, unit = '', goal) {
  const pass = goal ? Boolean(goal(value)) : null;
  rows.push({ section, what, value, unit, goal: goal?.label ?? '', pass });
  // a line as each figure arrives (the whole table is printed at the end)
  console.log(`  ${section}: ${what}: ${fmt(value)} ${unit}${goal ? `  (goal ${goal.label}: ${pass ? 'PASS' : 'MISS'})` : ''}`);
}
const atLeast = (x) => Object.assign((v) => v >= x, { label: `>= ${x.toLocaleString('en-US')}` });
const below = (x) => Object.assign((v) => v < x, { label: `< ${x.toLocaleString('en-US')}` });
const equals = (x) => Object.assign((v) => v === x, { label: String(x) });
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const ctx = { atLeast, below, equals, median, results: {} };

function nativeBench(args) {
  return JSON.parse(execFileSync(cli, ['bench', '--data', dataFile, ...args], { encoding: 'utf8' }));
}

let wasm; // the engine, loaded by the first section that needs it
async function engine() {
  if (!wasm) {
    const { engine: e, names } = await import('./helpers/engine.mjs');
    wasm = { engine: e, names };
  }
  return wasm;
}
async function wasmSteps(config, steps, repeat) {
  const { engine: e, names } = await engine();
  const rates = [];
  for (let r = 0; r < repeat; r++) {
    const s = e.createSession({ text: names, seed: 42, ...config }); // a fresh run each time
    const t0 = performance.now();
    s.train(steps, steps);
    rates.push(steps / (performance.now() - t0) * 1000);
    s.destroy();
  }
  return median(rates);
}

const BIG = { nLayer: 4, nEmbd: 64, nHead: 4 };

// Today's main, built from its commit (MAIN_COMMIT) into build/main-COMMIT/
// with this Makefile's flags, timed beside this tree's build in the same run,
// interleaved (speed goals of issue 15 are ratios to it).
const MAIN_COMMIT = '487a2b5';
let mainBuilt;
function mainBuild() {
  if (mainBuilt) return mainBuilt;
  const dir = path.join(build, `main-${MAIN_COMMIT}`);
  // main's engine.js too: its wasm exports what its own loader reads (this build's loader reads more)
  const cliFile = path.join(dir, 'microgpt'), wasm = path.join(dir, 'microgpt.wasm'), loader = path.join(dir, 'web/src/engine.js');
  if (!existsSync(cliFile) || !existsSync(wasm) || !existsSync(loader)) {
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git -C "${root}" archive ${MAIN_COMMIT} c web/src/engine.js | tar -x -C "${dir}"`]);
    const src = readdirSync(path.join(dir, 'c')).filter((f) => f.endsWith('.c')).map((f) => path.join(dir, 'c', f));
    const flags = ['-O3', '-std=c11', '-ffp-contract=off', '-fno-math-errno', '-Wno-psabi'];
    execFileSync(process.env.CC || 'cc', [...flags, '-funroll-loops', '-march=native', '-DMG_DEFAULT_DATA="none"',
      '-o', cliFile, ...src.filter((f) => !f.endsWith('wasm_exports.c')), '-lm']);
    execFileSync(process.env.EMCC || 'emcc', [...flags, '-msimd128', '-mbulk-memory', '--no-entry', '-sSTANDALONE_WASM',
      '-sMALLOC=emmalloc', `-sEXPORTED_FUNCTIONS=@${path.join(dir, 'c', 'exports.json')}`, '-sALLOW_MEMORY_GROWTH=1',
      '-sINITIAL_MEMORY=4MB', '-sMAXIMUM_MEMORY=1GB', '-sTOTAL_STACK=256KB', '-o', wasm,
      ...src.filter((f) => !f.endsWith('cli.c'))], { env: { ...process.env, EM_CONFIG: path.join(root, 'emscripten.cfg') } });
  }
  return (mainBuilt = { cli: cliFile, wasm, loader });
}

/** Rates of this build and main's, run by run in turn: the best of each
 * (on a shared, loaded machine other work only slows a run down, and the
 * median of a few still moved by 30 % from run to run). */
async function sideBySide(rounds, ours, theirs) {
  const a = [], b = [];
  for (let r = 0; r < rounds; r++) { a.push(await ours()); b.push(await theirs()); }
  return { ours: Math.max(...a), main: Math.max(...b) };
}
const nativeRate = (bin, args) => JSON.parse(execFileSync(bin, ['bench', '--data', dataFile, '--repeat', '1', ...args],
  { encoding: 'utf8' })).steps_per_s;

async function native(row, c) {
  const r = nativeBench(['--steps', '20000', '--repeat', '5']);
  c.results.native = r;
  row('native', 'training steps/s, reference config (median of 5 x 20,000)', r.steps_per_s, 'steps/s', atLeast(100000));
  row('native', 'time per step', r.us_per_step, 'µs');
  row('native', 'arithmetic rate (FLOPs counted per step)', r.gflops, 'GFLOP/s');
  const nb = nativeBench(['--steps', '2000', '--repeat', '3', '--n-layer', '4', '--n-embd', '64', '--n-head', '4']);
  row('native', 'steps/s, 4 layers, n_embd 64 (median of 3 x 2,000)', nb.steps_per_s, 'steps/s');
  const main = mainBuild();
  const ref = await sideBySide(7, () => nativeRate(cli, ['--steps', '20000']), () => nativeRate(main.cli, ['--steps', '20000']));
  row('native', `reference config, main at ${MAIN_COMMIT} beside this build (best of 7 x 20,000 each, interleaved)`, ref.main, 'steps/s');
  row('native', `reference config, this build / main at ${MAIN_COMMIT}`, ref.ours / ref.main, 'x', atLeast(1.35));
  const bigArgs = ['--steps', '1000', '--n-layer', '4', '--n-embd', '64', '--n-head', '4'];
  const big = await sideBySide(5, () => nativeRate(cli, bigArgs), () => nativeRate(main.cli, bigArgs));
  row('native', `4 layers, n_embd 64, main at ${MAIN_COMMIT} beside this build (best of 5 x 1,000 each)`, big.main, 'steps/s');
  row('native', `4 layers, n_embd 64, this build / main at ${MAIN_COMMIT}`, big.ours / big.main, 'x', atLeast(2));
}

async function wasmSection(row, c) {
  const { engine: e, names } = await engine();
  await wasmSteps({}, 2000, 1); // warm up the JIT
  const rate = await wasmSteps({}, 20000, 5);
  row('wasm', 'training steps/s under Node, reference config (median of 5 x 20,000)', rate, 'steps/s', atLeast(50000));
  if (c.results.native) row('wasm', 'wasm / native (same run)', rate / c.results.native.steps_per_s, '', atLeast(0.6));
  row('wasm', 'steps/s, 4 layers, n_embd 64 (median of 3 x 2,000)', await wasmSteps(BIG, 2000, 3), 'steps/s');
  const main = mainBuild();
  const mainEngine = await (await import(pathToFileURL(main.loader))).loadEngine(pathToFileURL(main.wasm));
  const rateOf = (en, config, steps) => () => {
    const s1 = en.createSession({ text: names, seed: 42, ...config });
    const t0 = performance.now();
    s1.train(steps, steps);
    const r = steps / (performance.now() - t0) * 1000;
    s1.destroy();
    return r;
  };
  rateOf(mainEngine, {}, 2000)(); // warm up main's JIT too
  const ref = await sideBySide(5, rateOf(e, {}, 20000), rateOf(mainEngine, {}, 20000));
  row('wasm', `reference config, this build / main at ${MAIN_COMMIT} (best of 5 x 20,000 each, interleaved)`,
    ref.ours / ref.main, 'x');
  const big = await sideBySide(3, rateOf(e, BIG, 1000), rateOf(mainEngine, BIG, 1000));
  row('wasm', `4 layers, n_embd 64, main at ${MAIN_COMMIT} beside this build (best of 3 x 1,000 each)`, big.main, 'steps/s');
  row('wasm', `4 layers, n_embd 64, this build / main at ${MAIN_COMMIT}`, big.ours / big.main, 'x', atLeast(2));
  const bytes = readFileSync(wasmFile);
  row('wasm', 'microgpt.wasm size', statSync(wasmFile).size / 1024, 'KB');
  row('wasm', 'microgpt.wasm gzipped (level 9)', gzipSync(bytes, { level: 9 }).length / 1024, 'KB');
  // parity holds in the benchmarked build
  const s = e.createSession({ text: names, seed: 42 });
  const diff = maxAbsDiff(s.train(1000, 1000), loadRun('microgpt_seed42').losses);
  const ok = diff <= 1e-9;
  row('wasm', `parity: seed 42, 1,000 losses vs the reference (max diff ${diff.toExponential(1)})`, ok ? 'ok' : 'BROKEN', '', equals('ok'));
  console.log(`parity: ${ok ? 'ok' : `BROKEN (max diff ${diff})`}`);
  const t0 = performance.now();
  for (let i = 0; i < 200; i++) s.inspect('emma');
  row('wasm', 'one inspect("emma") call', (performance.now() - t0) / 200 * 1000, 'µs');
  const t1 = performance.now();
  for (let i = 0; i < 200; i++) s.grad('emma');
  row('wasm', 'one grad("emma") call', (performance.now() - t1) / 200 * 1000, 'µs');
  s.destroy();
}

// ---- presets: what each preset's records cost the reader who picks one ----
// (downloaded only when chosen: web/dist/records/, from data/presets/presets.json)
function presetsBench(row) {
  const dist = path.join(root, 'web/dist/records');
  for (const p of JSON.parse(readFileSync(path.join(dist, 'presets.json'), 'utf8'))) {
    const bytes = readFileSync(path.join(dist, p.file));
    row('presets', `${p.id}: ${p.count.toLocaleString('en-US')} records, gzipped (raw ${(bytes.length / 1024).toFixed(1)} KB)`,
      gzipSync(bytes).length / 1024, 'KB');
  }
}
// ---- compare: two runs in one kitchen (run B, web/src/kitchen/companion.js) ----
// The kitchen in a worker thread at instant pace: 5,000 dishes of run A
// alone, then run A and run B (another seed, the same size) side by side in
// the same loop's chunks: each run's dishes per second of wall time.
async function compareBench(row) {
  const { kitchenWithEvents } = await import('./helpers/kitchen.mjs');
  const { wasmUrl } = await import('./helpers/paths.mjs');
  const text = readFileSync(dataFile, 'utf8'), steps = 5000, clients = [];
  const until = (k, type, pred) => k.next((m) => m.type === type && pred(m), { seen: true });
  try {
    const timed = async (withB) => {
      const k = kitchenWithEvents(['state', 'companionState'], clients);
      await k.c.request('init', { wasm: String(wasmUrl), text, seed: 42, steps, pace: 'instant' });
      await until(k, 'state', (m) => m.deviceRate > 0); // the device measurement is over
      if (withB) await k.c.request('companion', { seed: 7 });
      const t0 = performance.now();
      await k.c.request('start');
      if (withB) await k.c.request('companionStart');
      await until(k, 'state', (m) => m.state === 'done');
      const a = (performance.now() - t0) / 1000;
      const b = withB ? ((await until(k, 'companionState', (m) => m.state === 'done')), (performance.now() - t0) / 1000) : 0;
      return { a: steps / a, b: withB ? steps / b : 0 };
    };
    const solo = await timed(false), pair = await timed(true);
    row('compare', `run A alone, instant pace (${steps.toLocaleString('en-US')} dishes, kitchen in a worker)`, solo.a, 'steps/s');
    row('compare', 'run A beside run B (same size, seed 7)', pair.a, 'steps/s');
    row('compare', 'run B beside run A', pair.b, 'steps/s');
    row('compare', 'both runs together / run A alone', (pair.a + pair.b) / solo.a, '', atLeast(0.8));
  } finally { for (const c of clients) c.terminate(); }
}
// ---- end of compare ----
// --- link (features/link): a link opened to a trained Ming on screen ----------
// From navigation to the trainer showing dish 1,000 of the link's run (the
// reference run at instant pace) with the names drawn at that dish
// (ol.names[data-shows-dish], Names.jsx): median of 5 fresh pages.
// Where the time of the median page went, from the page's own marks (the
// navigation's timing, the kitchen's 'kitchen:*' marks in state/actions.js,
// the link's 'link:*' marks in features/link/link.js), each phase from the
// end of the one before it.
const LINK_PHASES = [
  ['the page and its modules (HTML, scripts, styles: DOMContentLoaded)', 'dcl'],
  ['the link read (its format chunk)', 'link:read'],
  ['the kitchen opened (worker, engine, records)', 'kitchen:opened'],
  ['an untrained Ming’s names (the page’s opening)', 'kitchen:names'],
  ['1,000 dishes cooked (ensureTrained)', 'link:trained'],
  ['the losses fetched for the curve', 'link:losses'],
  ['the trained Ming’s names', 'link:names'],
  ['drawn: counters, curve, names on screen', 'shown'],
];
async function linkBench(row, { below, median: mid }) {
  const { serveSite } = await import('./helpers/server.mjs');
  const { openBrowser } = await import('./helpers/browser.mjs');
  const site = await serveSite();
  const browser = await openBrowser();
  try {
    const openTimes = async (query, dish) => {
      const runs = [];
      for (let i = 0; i < 5; i++) {
        const page = await browser.newPage({ width: 1280, height: 900 });
        const t0 = Date.now();
        await page.goto(`${site.url}${query}`);
        await page.waitForFunction((d) => document.querySelector('[data-counter=step]')?.textContent === d
          && document.querySelector('ol.names')?.dataset.showsDish === d.split(' ')[0].replace(',', '')
          && document.querySelectorAll('li[data-mark]').length === 20, dish, { timeout: 30000, polling: 'raf' });
        const ms = Date.now() - t0;
        const at = await page.evaluate(() => Object.fromEntries([
          ['dcl', performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd], ['shown', performance.now()],
          ...performance.getEntriesByType('mark').map((m) => [m.name, m.startTime])]));
        runs.push({ ms, at });
        await page.close();
      }
      const sorted = [...runs].sort((x, y) => x.ms - y.ms);
      return sorted[sorted.length >> 1];
    };
    const linked = await openTimes('?v=1&seed=42&steps=1000&at=1000&pace=instant', '1,000 / 1,000');
    row('link', 'link opened to a trained Ming on screen (1,000 dishes, instant; median of 5)', linked.ms, 'ms', below(1000));
    let was = 0;
    for (const [what, key] of LINK_PHASES) {
      if (!(key in linked.at)) continue;
      row('link', `  of which ${what}`, Math.max(0, linked.at[key] - was), 'ms');
      was = Math.max(was, linked.at[key]);
    }
    // beside it, the same page opened untrained: what the link's cooking adds
    row('link', 'the page opened with no link, its names on screen (median of 5)', (await openTimes('', '0 / 1,000')).ms, 'ms');
  } finally { await browser.close(); await site.close(); }
}
// --- end link ------------------------------------------------------------------

/** A section in another module: its default export (or the export named), called as (row, ctx). */
const fromModule = (file, name = 'default') => async (r, c) => {
  const mod = await import(file);
  return mod[name](r, c);
};

// The sections, in order: [name, function].
const sections = [
  ['native', native],
  ['wasm', wasmSection],
  ['browser', fromModule('./bench-browser.mjs')],
  ['pace', fromModule('./bench-browser.mjs', 'paceBench')],
  ['embed', fromModule('./bench-embed.mjs')],
  ['compare', compareBench],
  ['link', linkBench],
  ['presets', presetsBench],
];

// ---------------------------------------------------------------------------

const only = process.argv.slice(2);
const unknown = only.filter((n) => !sections.some(([name]) => name === n));
if (unknown.length) {
  console.error(`unknown section(s): ${unknown.join(', ')}; the sections are ${sections.map(([n]) => n).join(', ')}`);
  process.exit(2);
}
const started = new Date();
const load0 = loadavg()[0];
console.log(`Ming's Kitchen bench on ${process.platform}/${process.arch} (${cpus().length} CPUs, ${cpus()[0]?.model.trim()}), `
  + `node ${process.version}, ${started.toISOString()}`);
let failed = 0;
for (const [name, run] of sections) {
  if (only.length && !only.includes(name)) continue;
  console.log(`\n[${name}]`);
  const t0 = performance.now();
  try {
    await run(row, ctx);
  } catch (err) {
    failed++;
    console.error(`section ${name} failed: ${err.stack ?? err}`);
    row(name, 'section failed', String(err.message ?? err).split('\n')[0].slice(0, 60), '', equals('(no error)'));
  }
  console.log(`  (${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}
// the figures are only as steady as the machine: say how busy it was
row('machine', 'load average (1 min) at start / at end', `${load0.toFixed(2)} / ${loadavg()[0].toFixed(2)}`, '');

// The table, aligned.
const table = [['section', 'figure', 'value', 'unit', 'goal', ''],
  ...rows.map((r) => [r.section, r.what, fmt(r.value), r.unit, r.goal, r.pass === null ? '' : r.pass ? 'PASS' : 'MISS'])];
const widths = table[0].map((_, i) => Math.max(...table.map((t) => t[i].length)));
const line = (t) => t.map((c, i) => (i === 2 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd();
console.log(`\n${line(table[0])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
let last;
for (const t of table.slice(1)) {
  if (last && t[0] !== last) console.log('');
  console.log(line(t));
  last = t[0];
}
const withGoal = rows.filter((r) => r.pass !== null);
console.log(`\n${withGoal.filter((r) => r.pass).length} of ${withGoal.length} goals met`
  + `${withGoal.some((r) => !r.pass) ? `; missed: ${withGoal.filter((r) => !r.pass).map((r) => `${r.what.split(' (')[0]} [${r.section}]`).join('; ')}` : ''}`);

mkdirSync(build, { recursive: true });
// a run of some sections only does not overwrite the full figures
const out = path.join(build, only.length ? 'bench.partial.json' : 'bench.json');
writeFileSync(out, JSON.stringify(rows, null, 1));
console.log(`written: ${path.relative(process.cwd(), out)}`);
if (failed) process.exitCode = 1;
