// The embed contract's options (web/src/embed/options.js): each bad value
// gives a note that says what was wrong, what is accepted and what is used,
// and the option falls back to its default.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { root } from '../helpers/paths.mjs';

const { parseOptions, nameNote, widgetUrl, WIDGET_IDS } = await import(pathToFileURL(path.join(root, 'web/src/embed/options.js')));

test('good values are taken as given', () => {
  const o = parseOptions('?w=service&name=kar&t=0.7&seed=7&steps=5000&start=fresh&theme=dark&pace=instant');
  assert.deepEqual({ id: o.id, name: o.name, t: o.temperature, seed: o.seed, steps: o.steps, start: o.start, theme: o.theme, pace: o.pace, notes: o.notes },
    { id: 'service', name: 'kar', t: 0.7, seed: 7, steps: 5000, start: 'fresh', theme: 'dark', pace: 'instant', notes: [] });
  for (const pace of ['watch', 'fast', 'instant']) assert.equal(parseOptions(`?w=trainer&pace=${pace}`).pace, pace);
  for (const bg of ['paper', 'transparent']) assert.deepEqual([parseOptions(`?w=trainer&bg=${bg}`).bg, parseOptions(`?w=trainer&bg=${bg}`).notes], [bg, []]);
});

test('defaults: trained Ming, except where watching him learn is the point', () => {
  for (const id of WIDGET_IDS) {
    const o = parseOptions(`?w=${id}`);
    assert.deepEqual([o.name, o.temperature, o.seed, o.steps, o.theme, o.pace, o.bg, o.notes], [null, 0.5, 42, 1000, 'auto', 'watch', 'paper', []]);
    assert.equal(o.start, ['trainer', 'sensei', 'dials'].includes(id) ? 'fresh' : 'trained', id);
  }
});

test('every bad value: a note, and the default', () => {
  const cases = [
    ['name=', 'name', null, /^name="" is not accepted: a name or prefix of the records’ characters\. Using the view’s own example\.$/],
    ['t=hot', 'temperature', 0.5, /^t=hot is not accepted: a temperature from 0\.1 to 1\.5\. Using 0\.5\.$/],
    ['t=2', 'temperature', 0.5, /^t=2 is not accepted/],
    ['t=', 'temperature', 0.5, /^t= is not accepted/],
    ['seed=-1', 'seed', 42, /^seed=-1 is not accepted: a whole number from 0 to 2147483648\. Using 42\.$/],
    ['seed=4.5', 'seed', 42, /^seed=4\.5 is not accepted/],
    ['seed=99999999999', 'seed', 42, /^seed=99999999999 is not accepted/],
    ['steps=7', 'steps', 1000, /^steps=7 is not accepted: one of 1000, 5000, 20000\. Using 1000\.$/],
    ['start=later', 'start', 'trained', /^start=later is not accepted: trained or fresh\. Using trained\.$/],
    ['theme=neon', 'theme', 'auto', /^theme=neon is not accepted: auto, light or dark\. Using auto\.$/],
    ['pace=slow', 'pace', 'watch', /^pace=slow is not accepted: watch, fast or instant\. Using watch\.$/],
    ['pace=', 'pace', 'watch', /^pace= is not accepted/],
    ['pace=Instant', 'pace', 'watch', /^pace=Instant is not accepted/],
    ['bg=white', 'bg', 'paper', /^bg=white is not accepted: paper or transparent\. Using paper\.$/],
    ['bg=', 'bg', 'paper', /^bg= is not accepted/],
    ['bg=Transparent', 'bg', 'paper', /^bg=Transparent is not accepted/],
  ];
  for (const [query, key, fallback, note] of cases) {
    const o = parseOptions(`?w=line&${query}`);
    assert.equal(o[key], fallback, query);
    assert.equal(o.notes.length, 1, query);
    assert.match(o.notes[0], note);
  }
  // a view that starts fresh says so when start is bad
  assert.match(parseOptions('?w=trainer&start=x').notes[0], /Using fresh\.$/);
});

// a model of a-z at block 16 (info's vocab and blockSize, as the kitchen gives them)
const AZ = { vocab: [...'abcdefghijklmnopqrstuvwxyz', null], blockSize: 16 };

test('name= is any name; the live model judges it, naming the characters his records have', () => {
  const emma = parseOptions('?w=scorecard&name=Emma!');
  assert.deepEqual([emma.name, emma.notes], ['Emma!', []], 'no a-z rule before the kitchen is open');
  assert.equal(nameNote('Emma!', AZ), 'name="Emma!" is not accepted: "E" is not one of Ming\'s 26 courses (the characters of his records): use a–z. Using the view’s own example.');
  assert.match(nameNote('abcdefghijklmnop', AZ), /^name="abcdefghijklmnop" is not accepted: at most 15 characters fit in Ming's block of 16 courses \(with the bell\)\. Using/);
  assert.equal(nameNote('abcdefghijklmno', AZ), null, '15 courses fit a block of 16');
  // other records and another block: what they take is taken
  const own = { vocab: [' ', 'E', 'a', 'm', '王', null], blockSize: 24 };
  assert.equal(nameNote('Emma 王', own), null);
  assert.equal(nameNote('abcdefghijklmnop'.replace(/[^am]/g, 'a'), own), null, '16 courses fit a block of 24');
  assert.match(nameNote('Emmy', own), /"y" is not one of Ming's 5 courses \(the characters of his records\): use space E a m 王\./);
  assert.equal(nameNote(null, AZ), null, 'no name= given');
});

test('an unknown or missing ID is no widget (the page lists the valid ones)', () => {
  assert.equal(parseOptions('?w=nope').id, null);
  assert.equal(parseOptions('?w=nope').rawId, 'nope');
  // a long unknown ID is repeated cut to 40 characters, like a note's value
  assert.equal(parseOptions(`?w=${'x'.repeat(10000)}`).rawId, `${'x'.repeat(40)}\u2026`);
  assert.equal(parseOptions('').id, null);
});

test('widgetUrl leaves out empty options and round-trips through parseOptions', () => {
  const url = widgetUrl('https://example.org/kitchen/', 'line', { name: 'kar', t: undefined, seed: 7, start: 'trained' });
  assert.equal(url, 'https://example.org/kitchen/embed.html?w=line&name=kar&seed=7&start=trained');
  const o = parseOptions(new URL(url).search);
  assert.deepEqual([o.id, o.name, o.seed, o.start, o.notes], ['line', 'kar', 7, 'trained', []]);
});

test('a note quotes at most 40 characters of a bad value, then an ellipsis', () => {
  const long = 'x'.repeat(39) + 'ABCDEFGHIJ'.repeat(1000); // 10,039 characters
  const first40 = long.slice(0, 40);
  for (const [key, field] of [['t', 'temperature'], ['seed', 'seed'], ['steps', 'steps'], ['start', 'start'], ['theme', 'theme'], ['bg', 'bg']]) {
    const o = parseOptions(`?w=line&${key}=${long}`);
    assert.equal(o.notes.length, 1, key);
    assert.equal(o.notes[0].split(' is not accepted')[0], `${key}=${first40}\u2026`, key);
    assert.ok(o.notes[0].length < 140, `${key}: a short note (${o.notes[0].length} characters)`);
    assert.notEqual(o[field], long, key);
  }
  const name = parseOptions(`?w=line&name=${'Q'.repeat(500)}`);
  assert.equal(name.name, 'Q'.repeat(500), 'kept whole until the live model judges it');
  assert.match(nameNote(name.name, AZ), new RegExp(`^name="${'Q'.repeat(40)}\u2026" is not accepted: "Q" is not one of Ming's 26 courses`));
  // 40 characters are quoted whole; characters outside the BMP count as one and are never split
  assert.match(parseOptions(`?w=line&theme=${'y'.repeat(40)}`).notes[0], new RegExp(`^theme=${'y'.repeat(40)} is not`));
  const emoji = parseOptions(`?w=line&theme=${encodeURIComponent('😀'.repeat(45))}`).notes[0];
  assert.equal(emoji.split(' is not accepted')[0], `theme=${'😀'.repeat(40)}\u2026`);
});
