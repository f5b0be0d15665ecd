// The page's ranges come from its one module of limits (web/src/limits.js),
// each inside the engine's, and every place that states one states that
// module's number: the widget options (t=, seed=, steps=), the link (seed,
// size, preset id), and README's limits and page sections, which are checked
// against the engine's own values (read from the built engine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { root } from '../helpers/paths.mjs';
import { engine } from '../helpers/engine.mjs';

const src = (f) => import(pathToFileURL(path.join(root, 'web/src', f)));
const L = await src('limits.js');
const { parseOptions } = await src('embed/options.js');
const { decodeLink } = await src('features/link/format.js');
const { SESSIONS_HELD, MAX_WORK } = await src('kitchen/kitchen.js');
const C = engine.facts;
const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
const fmt = (n) => n.toLocaleString('en-US');

test('each page range lies inside the engine\'s', () => {
  assert.ok(L.UI_SEED.min >= 0 && L.UI_SEED.max <= C.seedMax);
  assert.ok(L.UI_TEMPERATURE.min >= C.temperature.min && L.UI_TEMPERATURE.max <= C.temperature.max);
  assert.ok(L.UI_TEMPERATURE.default >= L.UI_TEMPERATURE.min && L.UI_TEMPERATURE.default <= L.UI_TEMPERATURE.max);
  assert.ok(L.STEP_CHOICES.every((n) => Number.isInteger(n) && n >= 1 && n <= C.limits.runSteps));
  assert.equal(L.STEP_CHOICES[0], C.defaults.steps, 'the trainer\'s first run length is the reference run\'s');
  assert.equal(L.UI_SEED.default, C.defaults.seed);
  assert.ok(C.defaults.seed <= L.UI_SEED.max);
  assert.ok(L.milestoneSteps(L.STEP_CHOICES[0]).every((m) => m <= L.STEP_CHOICES[0]));
});

test('a widget\'s t= takes the risk dial\'s range, and its note says it', () => {
  const { min, max, step } = L.UI_TEMPERATURE;
  for (const t of [min, max]) assert.deepEqual([parseOptions(`?w=service&t=${t}`).temperature, parseOptions(`?w=service&t=${t}`).notes], [t, []]);
  for (const t of [min - step, max + step]) {
    const o = parseOptions(`?w=service&t=${t}`);
    assert.equal(o.temperature, L.UI_TEMPERATURE.default);
    assert.match(o.notes[0], new RegExp(`a temperature from ${min} to ${max}\\. Using ${L.UI_TEMPERATURE.default}\\.$`));
  }
});

test('a widget\'s seed= and steps= take the limits module\'s seeds and run lengths', () => {
  assert.equal(parseOptions(`?w=trainer&seed=${L.UI_SEED.max}`).seed, L.UI_SEED.max);
  const o = parseOptions(`?w=trainer&seed=${L.UI_SEED.max + 1}`);
  assert.equal(o.seed, L.UI_SEED.default);
  assert.match(o.notes[0], new RegExp(`${L.UI_SEED_TEXT}\\. Using ${L.UI_SEED.default}\\.$`));
  assert.equal(L.UI_SEED_TEXT, `a whole number from 0 to ${L.UI_SEED.max}`);
  for (const n of L.STEP_CHOICES) assert.equal(parseOptions(`?w=trainer&steps=${n}`).steps, n);
  assert.match(parseOptions('?w=trainer&steps=7').notes[0], new RegExp(`one of ${L.STEP_CHOICES.join(', ')}\\.`));
});

test('a link\'s size is the engine\'s sizes in C\'s order, and its preset id C\'s length', async () => {
  const size = Object.values(C.defaultConfig).join('-');
  assert.deepEqual((await decodeLink(`?size=${size}`, '')).state.config, C.defaultConfig);
  const id = 'p'.repeat(C.limits.presetBytes);
  assert.deepEqual((await decodeLink(`?records=${id}`, '')).state.records, { preset: id });
  const long = await decodeLink(`?records=${id}p`, '');
  assert.equal(long.state.records, undefined);
  assert.match(long.notes[0], new RegExp(`1 to ${C.limits.presetBytes} printable ASCII`));
});

test('README states the engine\'s limits and the kitchen\'s share of them', () => {
  const mib = (b) => `${b / 2 ** 20} MiB`;
  const lim = C.limits;
  const says = (text, what) => assert.ok(readme.includes(text), `README should say ${JSON.stringify(text)} (${what})`);
  says(`| ${mib(lim.sessionBytes)}, computed before`, 'the session memory bound');
  says(`n_embd 1–${lim.nEmbd}, n_layer 1–${lim.nLayer}, block_size 1–${lim.blockSize}, at most ${fmt(lim.params)} dials`, 'the sizes');
  says(`a quarter of the memory bound (${mib(lim.sessionBytes / SESSIONS_HELD)})`, 'the kitchen\'s share');
  assert.equal(SESSIONS_HELD, 4, 'README says "four sessions"');
  says(`at most ${fmt(MAX_WORK)} dials × block_size`, 'the kitchen\'s work bound');
  says(`| ${mib(lim.textBytes)}, at most ${fmt(lim.vocab - 1)} distinct characters`, 'the records');
  says(`at most ${mib(lim.textBytes)} with no NUL byte`, 'the records (the page)');
  says(`| ${fmt(lim.paramFileBytes)} bytes, the largest valid file`, 'the parameter file');
  says(`| 1 to ${fmt(lim.runSteps)} dishes (steps)`, 'the run');
  says(`(temperature, ${L.UI_TEMPERATURE.min} to ${L.UI_TEMPERATURE.max})`, 'the risk dial');
  says(`(${L.STEP_CHOICES.slice(0, -1).map(fmt).join(', ')} or ${fmt(L.STEP_CHOICES.at(-1))} steps;`, 'the run lengths');
});
