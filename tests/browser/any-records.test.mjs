// Every view works for any records (issue 14, point 3): the main page opens
// other records in its own kitchen (the page's init, which the store follows:
// store.request in store.js, onNewRun in actions.js), then every chapter view
// and the trainer render them with no console error, show the model's own
// courses, take a name with characters beyond a-z, refuse a character the
// records do not have naming the ones they have, and take names of at most
// block size - 1 courses. Records: data/presets/pokemon.txt (accents, Cyrillic,
// kana, the gender signs) at block 16, a small list of our own (capitals,
// digits, spaces, ♀, CJK) at block 8, and one whose lines end in whitespace
// Python's str.strip removes (U+0085, and U+001F, which JavaScript's trim
// keeps) at block 24: the menu holds the records as the engine took them.
// Expected figures come from the text itself (Python's str.strip, distinct
// code points in code-point order), never from the page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serveSite } from '../helpers/server.mjs';
import { openBrowser } from '../helpers/browser.mjs';
import { root } from '../helpers/paths.mjs';
import { ask, inView, kitchenAt, opened, shows, until, viewsCurrent } from '../helpers/wait.mjs';

const POKEMON = readFileSync(path.join(root, 'data/presets/pokemon.txt'), 'utf8');
const OWN = ['Mary Ann', 'Zoë', 'Nidoran♀', '王小明', '李华', 'Ève 2', 'R2 D2', 'Jean 3', 'Ana María', 'Agent 47',
  'Zoë Ève', '小明', 'Élodie', 'Ann 99', 'mary'].join('\n');
// lines Python's (and C's) stripping makes "Mia" and "Léa Noor" (JavaScript's trim would keep U+001F)
const EDGES = ['\u0085Mia\u0085', '\u001fLéa Noor\u001f', 'Ōta Ren', 'Σοφία', 'Аня', 'Kim Lee', '  Noor  ', 'Léa'].join('\r\n');
const NOT_IN_ANY = '€'; // a character no list has

let site, browser, page;
before(async () => {
  site = await serveSite();
  browser = await openBrowser();
  page = await browser.newPage({ width: 1280, height: 900 });
  await page.emulateMedia({ reducedMotion: 'reduce' }); // chapter 7 serves its dish at once
  await page.goto(`${site.url}?pace=instant`);
  await opened(page);
});
after(async () => { await browser?.close(); await site?.close(); });

/** What the engine makes of a text: records and courses (its own rules, written again here). */
// the whitespace Python's str.strip() removes (str.isspace), from its documentation
const PY_SPACE = '[\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const pyStrip = (l) => l.replace(new RegExp(`^${PY_SPACE}+|${PY_SPACE}+$`, 'gu'), '');
function model(text) {
  const records = text.split(/\r\n|\r|\n/).map(pyStrip).filter(Boolean);
  const chars = [...new Set(records.join(''))].sort((a, b) => a.codePointAt(0) - b.codePointAt(0));
  return { records, chars, V: chars.length + 1 };
}

const text = (sel) => page.textContent(sel);
const attr = (sel, a) => page.getAttribute(sel, a);
const noProblems = () => {
  assert.deepEqual(page.problems.console, [], 'no console errors');
  assert.deepEqual(page.problems.errors, [], 'no page errors');
};

/** Opens the records in the page's kitchen (its init, as the records picker
 * does) and trains a short run; resolves once the store shows the new model. */
async function openRecords(recordsText, blockSize) {
  const m = model(recordsText);
  const config = { nEmbd: 16, nHead: 4, nLayer: 1, blockSize };
  const info = await ask(page, 'init', { text: recordsText, seed: 42, steps: 200, config });
  assert.equal(info.vocab.length, m.V, 'the kitchen has every character of the records');
  await ask(page, 'finish');
  await kitchenAt(page, { state: 'done', step: 200 });
  await page.locator('#chapter-1').scrollIntoViewIfNeeded();
  await shows(page, '[data-courses-count]', String(m.V - 1));
  await shows(page, '[data-records-count]', m.records.length.toLocaleString('en-US'));
  return m;
}

/** Scrolls a chapter into view (views off screen skip work) and waits for it to be current. */
async function visit(sel) {
  await page.locator(sel).scrollIntoViewIfNeeded();
  await inView(page, [sel]);
  await viewsCurrent(page, sel);
}

/** The characters a refusal lists, ranges (a–z) opened: every one must be a course. */
function listed(message, chars) {
  const list = message.slice(message.lastIndexOf(': use ') + 6).replace(/ and \d+ more\.$|\.$/, '');
  const out = [];
  for (const item of list.split(' ')) {
    const range = [...item];
    if (range.length === 3 && range[1] === '–') {
      for (let c = range[0].codePointAt(0); c <= range[2].codePointAt(0); c++) out.push(String.fromCodePoint(c));
    } else out.push(item === 'space' ? ' ' : item);
  }
  for (const c of out) assert.ok(chars.includes(c), `the message lists ${JSON.stringify(c)}, a course of the records (${message})`);
  return out;
}

/** Every view that takes a name: its field and the attribute showing the name it shows. */
const FIELDS = [
  ['#records-query', '[data-in-records]', 'data-in-records'],
  ['#records-pair-a', '[data-pair-loss=a]', 'data-name'],
  ['#courses-name', '.courses[data-name]', 'data-name'],
  ['#line-prefix', '.line[data-prefix]', 'data-prefix'],
  ['#scorecard-name', '[data-scored-name]', 'data-scored-name'],
  ['#trace-name', '[data-trace-loss]', null],
];

async function checkFields(m, name, blockSize) {
  const max = blockSize - 1;
  const tooLong = Array.from({ length: max + 1 }, (_, i) => [...name][i % [...name].length]).join(''); // the name's courses again and again
  const longest = tooLong.slice(0, tooLong.length - [...tooLong].at(-1).length);
  assert.equal([...longest].length, max);
  for (const [field, shown, a] of FIELDS) {
    await page.locator(field).scrollIntoViewIfNeeded();
    // a name beyond a-z from the records is taken and shown
    await page.fill(field, name);
    if (field === '#records-query') await shows(page, shown, 'true', { attr: a });
    else if (a) await shows(page, shown, name, { attr: a });
    else await shows(page, '.trace-loss', new RegExp(`"${name}"`));
    assert.equal(await attr(field, 'aria-invalid'), 'false', `${field} takes ${name}`);
    // a character the records lack: refused, naming the ones they have
    await page.fill(field, name + NOT_IN_ANY);
    await shows(page, `${field}-msg`, new RegExp(`^"${NOT_IN_ANY}" is not one of Ming's ${m.V - 1} courses`));
    const said = await text(`${field}-msg`);
    const chars = listed(said, m.chars);
    if (m.chars.length <= 30) assert.deepEqual([...chars].sort(), [...m.chars].sort(), 'a short list names every course');
    else assert.match(said, / and \d+ more\.$/, 'a long list is cut');
    // the block: block size - 1 courses at most
    await page.fill(field, tooLong);
    await shows(page, `${field}-msg`, `At most ${max} characters fit in Ming's block of ${blockSize} courses (with the bell).`);
    await page.fill(field, longest);
    await until(page, (f) => document.querySelector(f).getAttribute('aria-invalid') === 'false', field, `${field} to take ${max} courses`);
    if (a && field !== '#records-query') await shows(page, shown, longest, { attr: a });
  }
}

async function checkViews(m) {
  // chapter 1: the records' own names roll
  await visit('#chapter-1');
  const sample = await page.$$eval('.records-sample li', (li) => li.map((e) => e.textContent));
  for (const n of sample) assert.ok(m.records.includes(n), `${n} is a record`);
  // chapter 2: the course list is the model's V courses, by id, the bell last
  await visit('#chapter-2');
  const vocab = await page.$$eval('.courses-vocab li', (li) => li.map((e) => e.dataset.course));
  assert.deepEqual(vocab, [...m.chars, 'bell']);
  // chapter 3: a vote on every course
  await visit('#chapter-3');
  const votes = await page.$$eval('#chapter-3 .vote-bars li', (li) => li.map((e) => e.dataset.course));
  assert.equal(votes.length, m.V);
  assert.deepEqual([...votes].sort(), [...m.chars, 'bell'].sort());
  // chapter 4: blind guessing among V courses
  await visit('#chapter-4');
  assert.equal(await text('[data-blind]'), Math.log(m.V).toFixed(3));
  await visit('#chapter-5');
  await visit('#chapter-6');
  // chapter 7: a dish of the records' courses
  await page.locator('#chapter-7').scrollIntoViewIfNeeded();
  await shows(page, '#chapter-7 .service-ending', /^Cooked at dish 200 of training/); // the dish of this model's run
  await page.waitForSelector('#chapter-7 [data-solo-done]', { timeout: 30000 });
  const courses = await page.$$eval('[data-solo-step]', (li) => li.map((e) => e.dataset.course));
  for (const c of courses) assert.ok(c === 'bell' || m.chars.includes(c), `${c} is a course`);
  await until(page, () => document.querySelector('#chapter-7 [data-invented-share]')?.dataset.inventedShare, null, 'the invented dishes counted');
  // chapter 8: the courses counted
  await visit('#chapter-8');
  assert.equal(await text('[data-scale=courses]'), `${m.V}: ${m.V - 1} characters and the bell`);
  // the trainer: names of the records' courses
  await page.locator('#trainer').scrollIntoViewIfNeeded();
  const names = await page.$$eval('li[data-mark] .dish', (els) => els.map((e) => e.textContent));
  assert.ok(names.length > 0, 'the trainer shows names');
  for (const n of names) if (n !== '(the bell at once)') for (const c of n) assert.ok(m.chars.includes(c), `${c} of ${n} is a course`);
}

test('Pokémon at block 16: every view shows its courses; names beyond a-z are taken, € is refused', async () => {
  const m = await openRecords(POKEMON, 16);
  assert.ok(m.chars.includes('♀') && m.chars.includes('é'));
  await checkViews(m);
  await checkFields(m, 'Nidoran♀', 16);
  noProblems();
});

test('our own list at block 8: capitals, digits, spaces, ♀, CJK; names cut at 7 courses', async () => {
  const m = await openRecords(OWN, 8);
  await checkViews(m);
  await checkFields(m, '王小明', 8);
  await checkFields(m, 'Ève 2', 8);
  noProblems();
});

test('lines stripped as C strips them (U+0085, U+001F), at block 24: the menu has "Mia" and "Léa Noor", names of up to 23 courses', async () => {
  const m = await openRecords(EDGES, 24);
  assert.ok(m.records.includes('Mia') && m.records.includes('Léa Noor') && !m.chars.includes('\u0085'));
  await checkViews(m);
  await checkFields(m, 'Mia', 24); // chapter 1 finds "Mia" in the records
  await checkFields(m, 'Léa Noor', 24); // and "Léa Noor", which a JavaScript trim of its line would not give
  noProblems();
});
