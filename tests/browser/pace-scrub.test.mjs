// The pace and the timeline on the page, in headless Chromium: watch pace
// cooks about 150 dishes a second (and chapter 6 gets every one), one dish
// and finish, a pace change heard by a second widget of the same kitchen,
// and scrubbing: every view at dish N shows what a kitchen stopped at dish N
// shows; back to the latest; the keyboard; Train after scrubbing goes on
// from the latest dish. Waits on the page's and the kitchen's state only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite } from '../helpers/server.mjs';
import { openBrowser } from '../helpers/browser.mjs';
import { openPage, noErrors, press, TALL } from '../helpers/page.mjs';
import { ask, kitchenAt, shows, shownNames, until, untilAsync, viewsCurrent } from '../helpers/wait.mjs';

let site, browser;
before(async () => { site = await serveSite(); browser = await openBrowser(); });
after(async () => { await browser?.close(); await site?.close(); });

// every view on screen (views off screen rest until scrolled to), for
// runs at instant pace; a run at watch pace is watched in a normal window
const WINDOW = { width: 1280, height: 900 };
const open = (query = '', viewport = TALL) => openPage(browser, `${site.url}${query}`, viewport);
// the timeline moved as a drag moves it: the input event of the range
const scrubTo = (page, dish) => page.$eval('#timeline', (el, d) => {
  el.value = String(d);
  el.dispatchEvent(new Event('input', { bubbles: true }));
}, dish);
const attr = (page, sel, a) => page.getAttribute(sel, a);

// chapter 6 on screen, where its chart is drawn
const toChapter6 = (page) => page.$eval('#chapter-6', (el) => el.scrollIntoView());

test('watch pace: 100-200 dishes a second, Pause reachable, and chapter 6 gets one point per dish', async () => {
  const page = await open('', WINDOW);
  // a run of 20,000 dishes (over two minutes at the watch pace), so that Pause
  // lands mid-run however slowly a loaded machine answers the click (seen: a
  // click answered 11 s late on a machine loaded 15 times over)
  await page.getByLabel('Dishes (steps)').selectOption('20000');
  await kitchenAt(page, { state: 'idle', numSteps: 20000 });
  await toChapter6(page);
  assert.equal((await ask(page, 'status')).pace, 'watch', 'the default pace');
  assert.ok(await page.isChecked('input[name=pace][value=watch]'));
  await press(page, 'train');
  const a = await untilAsync(page, async () => { const s = await globalThis.mingsKitchenRequest('status'); return s.step >= 100 ? s : null; }, null, 'dish 100');
  const b = await untilAsync(page, async (s0) => { const s = await globalThis.mingsKitchenRequest('status'); return s.step >= s0 + 450 ? s : null; }, a.step, '450 more dishes');
  const rate = (1000 * (b.step - a.step)) / (b.elapsedMs - a.elapsedMs);
  assert.ok(rate >= 100 && rate <= 200, `watch pace cooked ${rate.toFixed(1)} dishes a second (the kitchen's clock)`);
  assert.ok(b.stepsPerSec >= 100 && b.stepsPerSec <= 200, `stepsPerSec ${b.stepsPerSec}`);
  assert.equal(b.state, 'training');
  // Pause is reachable mid-run
  await press(page, 'train');
  const paused = await kitchenAt(page, { state: 'paused' });
  assert.ok(paused.step > b.step - 1 && paused.step < 20000, `paused at ${paused.step}`);
  await shows(page, '[data-action=train]', 'Resume');
  // chapter 6: one reading per dish, first to last
  await shows(page, '.sensei-history', String(paused.step), { attr: 'data-points' });
  assert.equal(await attr(page, '.sensei-history', 'data-first'), '1');
  assert.equal(await attr(page, '.sensei-history', 'data-last'), String(paused.step));
  await press(page, 'train'); // resume at the watch pace, then the rest at full speed
  await kitchenAt(page, { state: 'training' });
  await press(page, 'finish');
  const done = await kitchenAt(page, { state: 'done' });
  assert.equal(done.step, 20000);
  await shows(page, '.sensei-history', '20000', { attr: 'data-points' });
  const hist = await ask(page, 'dialHistory', {});
  assert.equal(await attr(page, '.sensei-history', 'data-dial'), String(hist.index));
  assert.equal(hist.step.length, 20000);
  // the chart follows the timeline: up to the dish shown
  await scrubTo(page, 300);
  await shows(page, '.sensei-history', '300', { attr: 'data-points' });
  assert.equal(await attr(page, '.sensei-history', 'data-last'), '300');
  await shows(page, '[data-sensei-step]', '300');
  noErrors(page);
  await page.close();
});

test('one dish at a time, then finish: the rest at full speed; the device rate beside them', async () => {
  const page = await open('', WINDOW);
  assert.ok(await page.isDisabled('[data-action=reset]'));
  await press(page, 'one-dish');
  await kitchenAt(page, { state: 'paused', step: 1 });
  await shows(page, '[data-counter=step]', /^1 \/ 1,000/);
  await shows(page, 'canvas.loss-chart', '1', { attr: 'data-points' });
  await press(page, 'one-dish');
  await kitchenAt(page, { state: 'paused', step: 2 });
  await shows(page, 'canvas.loss-chart', '2', { attr: 'data-points' });
  // one dish is offered only while idle or paused
  await press(page, 'train');
  await kitchenAt(page, { state: 'training' });
  await until(page, () => document.querySelector('[data-action=one-dish]').disabled, null, 'one dish off while cooking');
  // finish at watch pace: 1,000 dishes at 150 a second would take over 6.6 s of cooking
  await press(page, 'finish');
  const done = await kitchenAt(page, { state: 'done', step: 1000 });
  assert.ok(done.elapsedMs < 5000, `finished in ${done.elapsedMs} ms of cooking`);
  assert.equal(done.pace, 'watch', 'finish leaves the pace as it was');
  await shows(page, 'canvas.loss-chart', '1000', { attr: 'data-points' });
  await until(page, () => Number(document.querySelector('[data-device-rate]')?.dataset.deviceRate) > 0, null, 'the device rate');
  assert.match(await page.textContent('.pace-device'), /^150 dishes a second; this device cooks [\d,]+ dishes a second/);
  assert.ok(await page.isDisabled('[data-action=one-dish]'), 'no dish after the last');
  noErrors(page);
  await page.close();
});

test('a pace chosen in one trainer widget is the pace of every widget of the kitchen', async () => {
  const a = await open('embed.html?w=trainer&pace=fast', { width: 700, height: 1400 });
  const b = await open('embed.html?w=trainer', { width: 700, height: 1400 });
  // b joined a's kitchen (a SharedWorker for top-level pages) and took its pace
  assert.equal(await a.evaluate(() => document.documentElement.dataset.kitchen), 'shared');
  await until(b, () => document.documentElement.dataset.pace === 'fast', null, 'the joined widget at the kitchen\'s pace');
  assert.ok(await b.isChecked('input[name=pace][value=fast]'));
  await a.click('input[name=pace][value=instant]');
  await until(b, () => document.querySelector('input[name=pace][value=instant]').checked, null, 'the other widget hears the pace');
  assert.equal((await ask(b, 'status')).pace, 'instant');
  await b.click('input[name=pace][value=watch]');
  await until(a, () => document.querySelector('input[name=pace][value=watch]').checked, null, 'and back');
  // a bad pace: a note, and the default
  const c = await browser.newPage({ width: 700, height: 900 });
  await c.goto(`${site.url}embed.html?w=trainer&pace=slow`);
  await shows(c, '[data-notes]', /pace=slow is not accepted: watch, fast or instant\. Using watch\./);
  for (const p of [a, b]) noErrors(p);
  for (const p of [a, b, c]) await p.close();
});

// chapter 3's vote: head 0's attention weights for the last course
const lineWeights = (page) => page.$$eval('.line[data-prefix] [data-head="0"] [data-weight]', (els) => els.map((e) => e.dataset.weight).join(' '));

// What a kitchen that cooked exactly `dish` dishes of a 1,000-dish run (seed
// 42) shows: chapter 4's penalty for its name, chapter 6's dish, the names.
async function freshAt(dish) {
  const page = await open('?pace=instant');
  await ask(page, 'ensureTrained', { seed: 42, steps: 1000, upTo: dish });
  await kitchenAt(page, { state: 'paused', step: dish });
  await viewsCurrent(page);
  const names = await untilAsync(page, async (d) => {
    const r = await globalThis.mingsKitchenRequest('names', { count: 20, temperature: 0.5 });
    const shown = [...document.querySelectorAll('li[data-mark] .dish')].map((e) => e.textContent).join(' ');
    return r.step === d && shown === r.names.join(' ') ? { shown } : null; // (a string would read as a message)
  }, dish, `the names of dish ${dish}`);
  const seen = {
    penalty: await attr(page, '[data-name-loss]', 'data-name-loss'),
    scored: await attr(page, '[data-scored-name]', 'data-scored-name'),
    sensei: await page.textContent('[data-sensei-step]'),
    trace: await page.textContent('[data-trace-step]'),
    line: await lineWeights(page),
    names: names.shown,
  };
  await page.close();
  return seen;
}

test('scrubbing: every view at dish N shows what a kitchen stopped at dish N shows; back to the latest', async () => {
  const at300 = await freshAt(300);
  const page = await open('?pace=instant');
  await press(page, 'train');
  await kitchenAt(page, { state: 'done', step: 1000 });
  await viewsCurrent(page);
  const latest = await attr(page, '[data-name-loss]', 'data-name-loss');
  assert.equal(await attr(page, '[data-scored-name]', 'data-scored-name'), at300.scored);
  await scrubTo(page, 300);
  await shows(page, '[data-view-banner]', /^Ming as he was after dish 300 back to dish 1,000$/);
  await kitchenAt(page, { view: 300, step: 1000, state: 'done' });
  await shows(page, '[data-name-loss]', at300.penalty, { attr: 'data-name-loss' });
  await shows(page, '[data-sensei-step]', at300.sensei);
  await shows(page, '[data-trace-step]', at300.trace);
  await until(page, (w) => [...document.querySelectorAll('.line[data-prefix] [data-head="0"] [data-weight]')].map((e) => e.dataset.weight).join(' ') === w,
    at300.line, 'the assembly line\'s vote at dish 300');
  await until(page, (n) => [...document.querySelectorAll('li[data-mark] .dish')].map((e) => e.textContent).join(' ') === n,
    at300.names, 'the names of dish 300');
  assert.equal(await attr(page, 'canvas.loss-chart', 'data-view'), '300', 'the curve marks the dish');
  assert.equal(await page.inputValue('#timeline'), '300');
  assert.notEqual(at300.penalty, latest, 'dish 300 and dish 1,000 differ');
  assert.ok(at300.line.split(' ').length >= 2, 'the assembly line showed its vote');
  // back to the latest
  await press(page, 'back-to-latest');
  await kitchenAt(page, { view: null });
  await until(page, () => !document.querySelector('[data-view-banner]'), null, 'the banner gone');
  await shows(page, '[data-name-loss]', latest, { attr: 'data-name-loss' });
  await viewsCurrent(page);
  assert.equal(await page.inputValue('#timeline'), '1000');
  noErrors(page);
  await page.close();
});

test('the timeline by keyboard: arrows one dish, Page Up and Page Down a hundred', async () => {
  const page = await open('?pace=instant');
  await press(page, 'train');
  await kitchenAt(page, { state: 'done', step: 1000 });
  await page.focus('#timeline');
  await page.keyboard.press('ArrowLeft');
  await kitchenAt(page, { view: 999 });
  await shows(page, '[data-view-banner]', /after dish 999 /);
  await page.keyboard.press('PageDown');
  await kitchenAt(page, { view: 899 });
  await page.keyboard.press('PageDown');
  await kitchenAt(page, { view: 799 });
  await page.keyboard.press('ArrowRight');
  await kitchenAt(page, { view: 800 });
  await page.keyboard.press('PageUp');
  await kitchenAt(page, { view: 900 });
  assert.equal(await page.inputValue('#timeline'), '900');
  await page.keyboard.press('PageUp'); // 1,000: the latest
  await kitchenAt(page, { view: null });
  await until(page, () => !document.querySelector('[data-view-banner]'), null, 'the banner gone at the latest');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'timeline', 'focus stays on the timeline');
  noErrors(page);
  await page.close();
});

test('Train after scrubbing goes on from the latest dish: the run is the run never scrubbed', async () => {
  const page = await open('', WINDOW); // watch pace, so the run can be paused mid-way
  await toChapter6(page);
  await press(page, 'train');
  await untilAsync(page, async () => (await globalThis.mingsKitchenRequest('status')).step >= 200, null, 'dish 200');
  await press(page, 'train'); // Pause
  const paused = await kitchenAt(page, { state: 'paused' });
  await scrubTo(page, 100);
  await kitchenAt(page, { view: 100, step: paused.step });
  await shows(page, '[data-sensei-step]', '100');
  await page.click('input[name=pace][value=instant]');
  await press(page, 'train'); // Resume: from the latest dish, and the views show it again
  const done = await kitchenAt(page, { state: 'done', step: 1000, view: null });
  assert.equal(done.pace, 'instant');
  await shows(page, 'canvas.loss-chart', '1000', { attr: 'data-points' }); // no dish cooked twice
  const ours = await ask(page, 'nameLoss', { name: 'emma' });
  // a kitchen that cooked the 1,000 dishes in one go
  const other = await open('?pace=instant');
  await ask(other, 'ensureTrained', { seed: 42, steps: 1000 });
  assert.equal(ours, await ask(other, 'nameLoss', { name: 'emma' }), 'the same Ming, bit for bit');
  noErrors(page);
  await page.close();
  await other.close();
});
