// bench.mjs - `make bench`: the speed and size figures, measured in one run
// on this machine, each next to its goal. Writes build/bench.json too.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { cli, dataFile, wasmFile, build } from './helpers/paths.mjs';
import { loadRun, maxAbsDiff } from './helpers/ref.mjs';
import { engine, names } from './helpers/engine.mjs';

const rows = [];
const row = (section, what, value, unit, goal) => {
  const pass = goal ? goal(value) : null;
  rows.push({ section, what, value, unit, goal: goal?.label ?? '', pass });
  const v = typeof value === 'number' ? value.toLocaleString('en-US', { maximumFractionDigits: value < 10 ? 3 : 1 }) : value;
  console.log(`${section.padEnd(9)} ${what.padEnd(52)} ${String(v).padStart(12)} ${unit.padEnd(8)} ${goal ? `${goal.label.padEnd(12)} ${pass ? 'PASS' : 'MISS'}` : ''}`);
};
const atLeast = (x) => Object.assign((v) => v >= x, { label: `>= ${x.toLocaleString('en-US')}` });
const below = (x) => Object.assign((v) => v < x, { label: `< ${x.toLocaleString('en-US')}` });
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

function nativeBench(args) {
  return JSON.parse(execFileSync(cli, ['bench', '--data', dataFile, ...args], { encoding: 'utf8' }));
}
function wasmSteps(config, steps, repeat) {
  const rates = [];
  for (let r = 0; r < repeat; r++) {
    const s = engine.createSession({ text: names, seed: 42, ...config });
    const t0 = performance.now();
    s.train(steps, steps);
    rates.push(steps / (performance.now() - t0) * 1000);
    s.destroy();
  }
  return median(rates);
}

const sections = {
  native() {
    const r = nativeBench(['--steps', '20000', '--repeat', '5']);
    row('native', 'training steps/s, reference config (median of 5 x 20,000)', r.steps_per_s, 'steps/s', atLeast(60000));
    row('native', 'time per step', r.us_per_step, 'µs');
    row('native', 'arithmetic rate (FLOPs counted per step)', r.gflops, 'GFLOP/s');
    return r;
  },
  wasm(native) {
    wasmSteps({}, 2000, 1); // warm up the JIT
    const rate = wasmSteps({}, 20000, 5);
    row('wasm', 'training steps/s under Node, reference config (median of 5)', rate, 'steps/s', atLeast(30000));
    row('wasm', 'wasm / native (same run)', rate / native.steps_per_s, '', atLeast(0.5));
    const big = { nLayer: 4, nEmbd: 64, nHead: 4 };
    const nb = nativeBench(['--steps', '2000', '--repeat', '3', '--n-layer', '4', '--n-embd', '64', '--n-head', '4']);
    row('native', 'steps/s, 4 layers, n_embd 64', nb.steps_per_s, 'steps/s');
    row('wasm', 'steps/s, 4 layers, n_embd 64', wasmSteps(big, 2000, 3), 'steps/s');
    const bytes = readFileSync(wasmFile);
    row('wasm', 'microgpt.wasm size', statSync(wasmFile).size / 1024, 'KB');
    row('wasm', 'microgpt.wasm gzipped', gzipSync(bytes, { level: 9 }).length / 1024, 'KB');
    // parity holds in the benchmarked build
    const s = engine.createSession({ text: names, seed: 42 });
    const ok = maxAbsDiff(s.train(1000, 1000), loadRun('microgpt_seed42').losses) <= 1e-9;
    row('wasm', 'parity with the reference run in this build', ok ? 'ok' : 'BROKEN', '', Object.assign((v) => v === 'ok', { label: 'ok' }));
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) s.inspect('emma');
    row('wasm', 'one inspect("emma") call', (performance.now() - t0) / 200 * 1000, 'µs');
    const t1 = performance.now();
    for (let i = 0; i < 200; i++) s.grad('emma');
    row('wasm', 'one grad("emma") call', (performance.now() - t1) / 200 * 1000, 'µs');
    s.destroy();
  },
};

const extras = [];
for (const file of ['./bench-browser.mjs', './bench-embed.mjs'])
  extras.push((await import(file).catch((e) => { console.log(`(${file} unavailable: ${e.message})`); return null; }))?.default);

console.log(`Ming's Kitchen bench on ${process.platform}/${process.arch}, node ${process.version}, ${new Date().toISOString()}`);
const native = sections.native();
sections.wasm(native);
for (const extra of extras) if (extra) await extra(row, { atLeast, below, median });
writeFileSync(path.join(build, 'bench.json'), JSON.stringify(rows, null, 1));
console.log(`\nwritten: ${path.relative(process.cwd(), path.join(build, 'bench.json'))}`);
